package io.jenkins.plugins.bbdc.bench;

import java.util.ArrayList;
import java.util.List;

/** A Markdown table, so the output can be pasted into docs/performance.md as it is. */
final class Table {
    private final String title;
    private final List<String> header;
    private final List<List<String>> rows = new ArrayList<>();
    private final List<String> notes = new ArrayList<>();

    Table(String title, String... header) {
        this.title = title;
        this.header = List.of(header);
    }

    Table row(Object... cells) {
        List<String> r = new ArrayList<>();
        for (Object c : cells) {
            r.add(c instanceof Double d ? Stats.fmt(d) : String.valueOf(c));
        }
        rows.add(r);
        return this;
    }

    Table note(String n) {
        notes.add(n);
        return this;
    }

    String render() {
        StringBuilder sb = new StringBuilder("\n### ").append(title).append("\n\n");
        sb.append("| ").append(String.join(" | ", header)).append(" |\n");
        sb.append("|").append("---|".repeat(header.size())).append('\n');
        for (List<String> r : rows) {
            sb.append("| ").append(String.join(" | ", r)).append(" |\n");
        }
        if (!notes.isEmpty()) {
            sb.append('\n');
            notes.forEach(n -> sb.append("- ").append(n).append('\n'));
        }
        return sb.toString();
    }
}
