package io.tokenmonitor.processor.query;

import java.util.List;

/**
 * User ids in ascending order, as the HTTP API returns them.
 *
 * @param truncated true when more users matched than the list contains
 */
public record UserListView(List<String> users, boolean truncated) {
}
