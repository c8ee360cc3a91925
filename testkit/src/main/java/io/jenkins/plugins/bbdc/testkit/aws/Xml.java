package io.jenkins.plugins.bbdc.testkit.aws;

import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Map;

/** A tiny streaming XML writer for Query-protocol replies; every text value is escaped. */
final class Xml {
    private final StringBuilder sb = new StringBuilder("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    private final Deque<String> open = new ArrayDeque<>();

    Xml start(String name) {
        sb.append('<').append(name).append('>');
        open.push(name);
        return this;
    }

    Xml start(String name, String namespace) {
        sb.append('<').append(name).append(" xmlns=\"").append(namespace).append("\">");
        open.push(name);
        return this;
    }

    Xml end() {
        sb.append("</").append(open.pop()).append('>');
        return this;
    }

    /** An element with text; null values are omitted, as AWS omits absent members. */
    Xml el(String name, Object value) {
        if (value == null) {
            return this;
        }
        String text = value instanceof Instant i ? time(i) : String.valueOf(value);
        sb.append('<').append(name).append('>').append(escape(text)).append("</").append(name).append('>');
        return this;
    }

    /** EC2 style tags: {@code <tagSet><item><key/><value/></item></tagSet>}. */
    Xml ec2Tags(Map<String, String> tags) {
        start("tagSet");
        tags.forEach((k, v) -> start("item").el("key", k).el("value", v).end());
        return end();
    }

    /** RDS style tags: {@code <TagList><Tag><Key/><Value/></Tag></TagList>}. */
    Xml rdsTags(Map<String, String> tags) {
        start("TagList");
        tags.forEach((k, v) -> start("Tag").el("Key", k).el("Value", v).end());
        return end();
    }

    static String time(Instant i) {
        return DateTimeFormatter.ISO_INSTANT.format(i.truncatedTo(ChronoUnit.MILLIS));
    }

    static String escape(String s) {
        StringBuilder out = new StringBuilder(s.length());
        for (char c : s.toCharArray()) {
            switch (c) {
                case '<' -> out.append("&lt;");
                case '>' -> out.append("&gt;");
                case '&' -> out.append("&amp;");
                case '"' -> out.append("&quot;");
                case '\'' -> out.append("&apos;");
                default -> out.append(c);
            }
        }
        return out.toString();
    }

    @Override
    public String toString() {
        if (!open.isEmpty()) {
            throw new IllegalStateException("unclosed elements " + open);
        }
        return sb.toString();
    }
}
