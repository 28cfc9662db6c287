package io.tokenmonitor.agent;

import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;

/**
 * Checks of free-text option values that become record keys or record fields, such as user ids. The rule
 * matches the processor's check of ids: 1 to {@value #MAX_LENGTH} characters, not blank, and no control
 * characters, because the processor uses a control character as the separator in its store keys.
 */
public final class TextOptions {

    /** Maximum length of an id or name, in UTF-16 chars as counted by {@link String#length()}. */
    public static final int MAX_LENGTH = 256;

    private TextOptions() {
    }

    /**
     * Returns the value if it is valid.
     *
     * @param option the option name for the error message, for example {@code --user}
     * @throws ParameterException if the value is blank, too long or contains a control character
     */
    public static String requireValid(CommandSpec spec, String option, String value) {
        if (value.isBlank()) {
            throw new ParameterException(spec.commandLine(), "Invalid " + option + ": expected a non-blank value");
        }
        if (value.length() > MAX_LENGTH) {
            throw new ParameterException(spec.commandLine(), "Invalid " + option + ": " + value.length()
                + " characters, expected at most " + MAX_LENGTH);
        }
        int control = value.chars().filter(Character::isISOControl).findFirst().orElse(-1);
        if (control >= 0) {
            throw new ParameterException(spec.commandLine(), "Invalid " + option + " '" + escapeControls(value)
                + "': contains the control character " + String.format("U+%04X", control));
        }
        return value;
    }

    /** Returns the value with each control character written as a Java escape, safe to print on a terminal. */
    public static String escapeControls(String value) {
        StringBuilder escaped = new StringBuilder(value.length() + 8);
        value.chars().forEach(c -> {
            if (Character.isISOControl(c)) {
                escaped.append(String.format("\\u%04x", c));
            } else {
                escaped.append((char) c);
            }
        });
        return escaped.toString();
    }
}
