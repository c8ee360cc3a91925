package io.jenkins.plugins.bbdc.core.upgrade.aws;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import javax.xml.parsers.DocumentBuilderFactory;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import software.amazon.awssdk.core.SdkField;
import software.amazon.awssdk.core.SdkPojo;
import software.amazon.awssdk.core.protocol.MarshallingType;
import software.amazon.awssdk.core.traits.ListTrait;

/**
 * Checks a Query-protocol reply strictly against the service model compiled into the AWS SDK (the {@link SdkField}
 * definitions of the response shape). The SDK itself parses leniently — an element it does not know, or a wrong result
 * wrapper, silently becomes null — so a misspelt element in a fake would pass every SDK-level test; here it is a
 * problem. Also checks the envelope ({@code <OpResponse xmlns=…><OpResult>…</OpResult><ResponseMetadata>}, or for
 * the EC2 protocol {@code <OpResponse xmlns=…><requestId/>members…}), the list member element name, value syntax of
 * numbers, booleans and timestamps, and the members the model marks required (the SDK drops that information, so
 * callers pass them from the model).
 */
public final class QueryXmlModelCheck {
    private final String namespace;
    /** Shape (SDK class simple name) → members the service model lists as required in that shape. */
    private final Map<String, Set<String>> required;
    private final boolean ec2;

    /** A check of the Query protocol (Auto Scaling, CloudFormation, RDS, STS). */
    public QueryXmlModelCheck(String namespace, Map<String, Set<String>> required) {
        this(namespace, required, false);
    }

    private QueryXmlModelCheck(String namespace, Map<String, Set<String>> required, boolean ec2) {
        this.namespace = namespace;
        this.required = required;
        this.ec2 = ec2;
    }

    /** A check of EC2's variant of the protocol: no result wrapper, lower-case members, {@code <item>} lists. */
    public static QueryXmlModelCheck ec2(String namespace, Map<String, Set<String>> required) {
        return new QueryXmlModelCheck(namespace, required, true);
    }

    /** Problems with a successful reply of {@code operation}, whose output shape is {@code response}. */
    public List<String> success(String operation, SdkPojo response, String xml) {
        if (ec2) {
            return ec2Success(operation, response, xml);
        }
        List<String> problems = new ArrayList<>();
        Element root = parse(xml);
        expectRoot(root, operation + "Response", problems);
        List<Element> children = elements(root);
        List<String> names = children.stream().map(Element::getTagName).toList();
        if (response.sdkFields().isEmpty()) {
            // an operation without an output shape answers with the metadata alone
            if (!names.equals(List.of("ResponseMetadata"))) {
                problems.add(operation + "Response holds " + names + ", expected [ResponseMetadata] (the"
                        + " operation has no output shape)");
            }
            return problems;
        }
        if (!names.equals(List.of(operation + "Result", "ResponseMetadata"))) {
            problems.add(operation + "Response holds " + names + ", expected [" + operation + "Result,"
                    + " ResponseMetadata]");
            return problems;
        }
        walk(children.get(0), response, operation + "Result", problems);
        List<String> metadata = elements(children.get(1)).stream().map(Element::getTagName).toList();
        if (!metadata.equals(List.of("RequestId"))) {
            problems.add("ResponseMetadata holds " + metadata + ", expected [RequestId]");
        }
        return problems;
    }

    /**
     * EC2: {@code <OpResponse xmlns=…><requestId/>members of the output shape…</OpResponse>}. Operations without an
     * output shape (DeleteSnapshot, CreateTags) answer {@code <return>true</return>}, as EC2's API reference shows.
     */
    private List<String> ec2Success(String operation, SdkPojo response, String xml) {
        List<String> problems = new ArrayList<>();
        Element root = parse(xml);
        expectRoot(root, operation + "Response", problems);
        List<Element> children = new ArrayList<>(elements(root));
        if (children.isEmpty() || !children.get(0).getTagName().equals("requestId")) {
            problems.add(operation + "Response must start with <requestId>, holds "
                    + children.stream().map(Element::getTagName).toList());
        } else {
            children.remove(0);
        }
        if (response.sdkFields().isEmpty()) {
            List<String> names = children.stream().map(Element::getTagName).toList();
            if (!names.equals(List.of("return")) || !children.get(0).getTextContent().equals("true")) {
                problems.add(operation + "Response holds " + names + " after requestId, expected"
                        + " <return>true</return> (the operation has no output shape)");
            }
            return problems;
        }
        walk(children, response, operation + "Response", problems);
        return problems;
    }

    /**
     * Problems with an error reply: {@code <ErrorResponse><Error><Type/><Code/><Message/></Error><RequestId/>}, or
     * for EC2 {@code <Response><Errors><Error><Code/><Message/></Error></Errors><RequestID/></Response>} (no
     * namespace).
     */
    public List<String> error(String xml) {
        if (ec2) {
            return ec2Error(xml);
        }
        List<String> problems = new ArrayList<>();
        Element root = parse(xml);
        expectRoot(root, "ErrorResponse", problems);
        List<String> names = elements(root).stream().map(Element::getTagName).toList();
        if (!names.equals(List.of("Error", "RequestId"))) {
            problems.add("ErrorResponse holds " + names + ", expected [Error, RequestId]");
            return problems;
        }
        List<String> error = elements(elements(root).get(0)).stream().map(Element::getTagName).toList();
        if (!error.equals(List.of("Type", "Code", "Message"))) {
            problems.add("Error holds " + error + ", expected [Type, Code, Message]");
        }
        String type = elements(elements(root).get(0)).get(0).getTextContent();
        if (!Set.of("Sender", "Receiver").contains(type)) {
            problems.add("Error/Type is '" + type + "', expected Sender or Receiver");
        }
        return problems;
    }

    private static List<String> ec2Error(String xml) {
        List<String> problems = new ArrayList<>();
        Element root = parse(xml);
        if (!root.getTagName().equals("Response") || root.getNamespaceURI() != null) {
            problems.add("root element is " + root.getTagName() + " in namespace " + root.getNamespaceURI()
                    + ", expected Response without a namespace");
        }
        List<Element> top = elements(root);
        List<String> names = top.stream().map(Element::getTagName).toList();
        if (!names.equals(List.of("Errors", "RequestID"))) {
            problems.add("Response holds " + names + ", expected [Errors, RequestID]");
            return problems;
        }
        List<Element> errors = elements(top.get(0));
        if (errors.size() != 1 || !errors.get(0).getTagName().equals("Error")) {
            problems.add("Errors holds " + errors.stream().map(Element::getTagName).toList() + ", expected [Error]");
            return problems;
        }
        List<String> error = elements(errors.get(0)).stream().map(Element::getTagName).toList();
        if (!error.equals(List.of("Code", "Message"))) {
            problems.add("Error holds " + error + ", expected [Code, Message]");
        }
        return problems;
    }

    private void expectRoot(Element root, String name, List<String> problems) {
        if (!root.getTagName().equals(name)) {
            problems.add("root element is " + root.getTagName() + ", expected " + name);
        }
        if (!namespace.equals(root.getNamespaceURI())) {
            problems.add(name + " is in namespace " + root.getNamespaceURI() + ", expected " + namespace);
        }
    }

    private void walk(Element el, SdkPojo shape, String path, List<String> problems) {
        walk(elements(el), shape, path, problems);
    }

    private void walk(List<Element> children, SdkPojo shape, String path, List<String> problems) {
        List<SdkField<?>> fields = shape.sdkFields();
        List<String> present = new ArrayList<>();
        for (Element child : children) {
            String name = child.getTagName();
            SdkField<?> field = fields.stream().filter(f -> name.equals(f.unmarshallLocationName())).findFirst()
                    .orElse(null);
            if (field == null) {
                problems.add(path + "/" + name + ": no such member in " + shapeName(shape)
                        + " (model members: " + fields.stream().map(SdkField::unmarshallLocationName).toList() + ")");
                continue;
            }
            if (present.contains(name)) {
                problems.add(path + "/" + name + ": appears twice");
            }
            present.add(name);
            value(child, field, path + "/" + name, problems);
        }
        for (String member : required.getOrDefault(shapeName(shape), Set.of())) {
            if (!present.contains(member)) {
                problems.add(path + ": required member " + member + " of " + shapeName(shape) + " is missing");
            }
        }
    }

    private void value(Element el, SdkField<?> field, String path, List<String> problems) {
        MarshallingType<?> type = field.marshallingType();
        if (type == MarshallingType.SDK_POJO) {
            walk(el, field.constructor().get(), path, problems);
        } else if (type == MarshallingType.LIST) {
            ListTrait list = field.getTrait(ListTrait.class);
            if (list.isFlattened()) {
                problems.add(path + ": flattened lists are not expected in these services");
                return;
            }
            String member = list.memberLocationName() == null ? "member" : list.memberLocationName();
            for (Element item : elements(el)) {
                if (!item.getTagName().equals(member)) {
                    problems.add(path + "/" + item.getTagName() + ": list items must be <" + member + ">");
                    continue;
                }
                value(item, list.memberFieldInfo(), path + "/" + member, problems);
            }
        } else if (type == MarshallingType.MAP) {
            problems.add(path + ": maps are not expected in these replies");
        } else {
            if (!elements(el).isEmpty()) {
                problems.add(path + ": a " + type + " value must be text, not elements");
                return;
            }
            scalar(el.getTextContent(), type, path, problems);
        }
    }

    private static void scalar(String text, MarshallingType<?> type, String path, List<String> problems) {
        try {
            if (type == MarshallingType.INTEGER) {
                Integer.parseInt(text);
            } else if (type == MarshallingType.LONG) {
                Long.parseLong(text);
            } else if (type == MarshallingType.BOOLEAN && !Set.of("true", "false").contains(text)) {
                problems.add(path + ": '" + text + "' is not a boolean (true/false)");
            } else if (type == MarshallingType.INSTANT) {
                Instant.parse(text);
            }
        } catch (RuntimeException e) {
            problems.add(path + ": '" + text + "' is not a valid " + type);
        }
    }

    /** The model shape's SDK class name (nested structures come as their builders). */
    private static String shapeName(SdkPojo shape) {
        Class<?> c = shape.getClass();
        return c.getEnclosingClass() != null ? c.getEnclosingClass().getSimpleName() : c.getSimpleName();
    }

    private static Element parse(String xml) {
        try {
            DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
            f.setNamespaceAware(true);
            f.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
            return f.newDocumentBuilder().parse(new ByteArrayInputStream(xml.getBytes(StandardCharsets.UTF_8)))
                    .getDocumentElement();
        } catch (Exception e) {
            throw new AssertionError("not well-formed XML: " + e.getMessage() + "\n" + xml, e);
        }
    }

    private static List<Element> elements(Element parent) {
        List<Element> out = new ArrayList<>();
        for (Node n = parent.getFirstChild(); n != null; n = n.getNextSibling()) {
            if (n instanceof Element e) {
                out.add(e);
            }
        }
        return out;
    }
}
