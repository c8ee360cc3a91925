package io.jenkins.plugins.bbdc.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import com.fasterxml.jackson.core.type.TypeReference;
import io.jenkins.plugins.bbdc.core.ops.OperationOutcome;
import java.io.PrintWriter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The machine-readable result printed on stdout with {@code --json}: one JSON document. */
final class JsonOutput {
    static final ObjectMapper MAPPER = new ObjectMapper().registerModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS).enable(SerializationFeature.INDENT_OUTPUT);

    private JsonOutput() {
    }

    /**
     * A command's one result document: {@code status} (an {@link OperationOutcome} name, the table in docs/cli.md)
     * and {@code exitCode} first, then the fields of {@code result} (a record or map) and {@code extra}.
     */
    static Map<String, Object> document(OperationOutcome status, Object result, Map<String, Object> extra) {
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("status", status.name());
        doc.put("exitCode", ExitCodes.of(status));
        if (result != null) {
            doc.putAll(MAPPER.convertValue(result, new TypeReference<Map<String, Object>>() { }));
        }
        doc.putAll(extra);
        return doc;
    }

    /** The document of a command refused before it changed anything (REFUSED or HELD), with every reason. */
    static Map<String, Object> refusal(OperationOutcome status, List<String> reasons) {
        Map<String, Object> extra = new LinkedHashMap<>();
        extra.put("reasons", reasons);
        return document(status, null, extra);
    }

    static void print(PrintWriter out, Object result) {
        try {
            out.println(MAPPER.writeValueAsString(result));
            out.flush();
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write the JSON result", e);
        }
    }
}
