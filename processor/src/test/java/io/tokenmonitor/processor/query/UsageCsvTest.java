package io.tokenmonitor.processor.query;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class UsageCsvTest {

    @Test
    void shouldLeavePlainFieldsUnquoted() {
        assertEquals("gpt-4o", UsageCsv.field("gpt-4o"));
        assertEquals("", UsageCsv.field(null));
        assertEquals("", UsageCsv.field(""));
    }

    @Test
    void shouldQuoteFieldsPerRfc4180() {
        assertEquals("\"a,b\"", UsageCsv.field("a,b"));
        assertEquals("\"say \"\"hi\"\"\"", UsageCsv.field("say \"hi\""));
        assertEquals("\"two\nlines\"", UsageCsv.field("two\nlines"));
        assertEquals("\"carriage\rreturn\"", UsageCsv.field("carriage\rreturn"));
    }

    @Test
    void shouldPrefixFormulaLikeFields() {
        assertEquals("'=1+1", UsageCsv.field("=1+1"));
        assertEquals("'+1", UsageCsv.field("+1"));
        assertEquals("'-1", UsageCsv.field("-1"));
        assertEquals("'@SUM(A1)", UsageCsv.field("@SUM(A1)"));
        assertEquals("'\tx", UsageCsv.field("\tx"));
        assertEquals("\"'=HYPERLINK(\"\"http://example.test\"\",\"\"x\"\")\"",
            UsageCsv.field("=HYPERLINK(\"http://example.test\",\"x\")"));
        assertEquals("a=b", UsageCsv.field("a=b"));
    }
}
