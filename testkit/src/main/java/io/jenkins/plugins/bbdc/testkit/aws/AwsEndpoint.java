package io.jenkins.plugins.bbdc.testkit.aws;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A local AWS endpoint speaking the real Query protocol (form-encoded POST with {@code Action} and {@code Version},
 * XML replies as the service models define them) for EC2 (2016-11-15), RDS (2014-10-31), STS AssumeRole
 * (2011-06-15), EC2 Auto Scaling (2011-01-01) and CloudFormation (2010-05-15). The real AWS SDK and the AWS CLI talk to it through an endpoint override.
 *
 * <p>Requests are routed by the service name of the SigV4 credential scope in the {@code Authorization} header;
 * signatures are not verified, but an unsigned request is refused. The region of the scope selects the region whose
 * resources the call sees, so a cross-region copy is a call signed for the destination region.
 */
public final class AwsEndpoint implements AutoCloseable {
    /** The account every resource belongs to. */
    public static final String ACCOUNT_ID = "123456789012";
    private static final Pattern SCOPE = Pattern.compile("Credential=([^/,\\s]+)/\\d{8}/([^/]+)/([^/]+)/aws4_request");

    private final HttpServer server;
    private final ExecutorService executor;
    private final Faults faults;
    private final Ec2Fake ec2;
    private final RdsFake rds;
    private final StsFake sts;
    private final AutoScalingFake autoScaling;
    private final CloudFormationFake cloudFormation;
    private final List<CallRecord> calls = new CopyOnWriteArrayList<>();

    static {
        // replies are written as headers + body; without TCP_NODELAY every call waits for a delayed ACK (~40 ms)
        System.setProperty("sun.net.httpserver.nodelay", "true");
    }

    private AwsEndpoint(long seed, Clock clock) throws IOException {
        this.faults = new Faults(seed);
        this.ec2 = new Ec2Fake(clock, faults);
        this.rds = new RdsFake(clock);
        this.sts = new StsFake(clock);
        this.autoScaling = new AutoScalingFake(clock);
        this.cloudFormation = new CloudFormationFake(clock, autoScaling);
        this.server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 64);
        this.executor = Executors.newFixedThreadPool(8, r -> {
            Thread t = new Thread(r, "aws-endpoint");
            t.setDaemon(true);
            return t;
        });
        server.setExecutor(executor);
        server.createContext("/", this::handle);
        server.start();
    }

    /** Starts an endpoint on a free loopback port with seed 42 and the system clock. */
    public static AwsEndpoint start() {
        return start(42L);
    }

    public static AwsEndpoint start(long seed) {
        return start(seed, Clock.systemUTC());
    }

    public static AwsEndpoint start(long seed, Clock clock) {
        try {
            return new AwsEndpoint(seed, clock);
        } catch (IOException e) {
            throw new IllegalStateException("could not start the AWS endpoint: " + e.getMessage(), e);
        }
    }

    /** The URL to give the SDK as {@code endpointOverride} (or the CLI as {@code --endpoint-url}). */
    public URI url() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    public Ec2Fake ec2() {
        return ec2;
    }

    public RdsFake rds() {
        return rds;
    }

    public AutoScalingFake autoScaling() {
        return autoScaling;
    }

    public CloudFormationFake cloudFormation() {
        return cloudFormation;
    }

    public Faults faults() {
        return faults;
    }

    /** Every call received, in order (including refused and throttled ones). */
    public List<CallRecord> calls() {
        return List.copyOf(calls);
    }

    /** Calls of one action, e.g. {@code calls("CreateSnapshots")}. */
    public List<CallRecord> calls(String action) {
        return calls.stream().filter(c -> action.equals(c.action())).toList();
    }

    /**
     * Every STS AssumeRole granted: RoleArn, RoleSessionName, ExternalId, DurationSeconds (as granted: the request's,
     * or 3600), the AccessKeyId handed out and SignedBy (the key that signed the request).
     */
    public List<Map<String, String>> assumedRoles() {
        return List.copyOf(sts.assumed);
    }

    public void clearCalls() {
        calls.clear();
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }

    private void handle(HttpExchange ex) throws IOException {
        try (ex) {
            byte[] body = ex.getRequestBody().readAllBytes();
            Map<String, String> params = parseForm(new String(body, StandardCharsets.UTF_8));
            String query = ex.getRequestURI().getRawQuery();
            if (query != null) {
                parseForm(query).forEach(params::putIfAbsent);
            }
            String auth = ex.getRequestHeaders().getFirst("Authorization");
            Matcher m = auth == null ? null : SCOPE.matcher(auth);
            if (m == null || !m.find()) {
                // recorded before the reply, like every call: a test may read the log as soon as it has the reply
                calls.add(new CallRecord("unsigned", null, params.get("Action"), params, null, 403,
                        "MissingAuthenticationToken"));
                reply(ex, 403, errorXml("unsigned", "MissingAuthenticationToken",
                        "Request is missing Authentication Token"));
                return;
            }
            QueryRequest req = new QueryRequest(m.group(3), m.group(2), m.group(1), params);
            try {
                String xml = dispatch(req);
                calls.add(new CallRecord(req.service(), req.region(), req.action(), req.params(), req.accessKeyId(),
                        200, null));
                reply(ex, 200, xml);
            } catch (AwsFault f) {
                calls.add(new CallRecord(req.service(), req.region(), req.action(), req.params(), req.accessKeyId(),
                        f.status(), f.code()));
                reply(ex, f.status(), errorXml(req.service(), f.code(), f.getMessage()));
            } catch (RuntimeException e) {
                calls.add(new CallRecord(req.service(), req.region(), req.action(), req.params(), req.accessKeyId(),
                        500, "InternalError"));
                reply(ex, 500, errorXml(req.service(), "InternalError", "internal error: " + e));
            }
        }
    }

    private String dispatch(QueryRequest req) {
        String action = req.action();
        if (action == null || action.isEmpty()) {
            throw AwsFault.badRequest("MissingAction", "The request must contain the parameter Action");
        }
        String service = req.service();
        if (!List.of("ec2", "rds", "sts", "autoscaling", "cloudformation").contains(service)) {
            throw AwsFault.badRequest("InvalidAction", "This endpoint does not serve the service " + service);
        }
        AwsFault next = faults.takeNext(action);
        if (next != null) {
            throw next;
        }
        if (faults.isDenied(action)) {
            throw denied(service, action);
        }
        if (!service.equals("sts") && faults.throttleNow()) {
            throw service.equals("ec2") ? new AwsFault(503, "RequestLimitExceeded", "Request limit exceeded.")
                    : new AwsFault(400, "Throttling", "Rate exceeded");
        }
        return switch (service) {
            case "ec2" -> ec2.handle(req, requestId());
            case "rds" -> rds.handle(req, requestId());
            case "autoscaling" -> autoScaling.handle(req, requestId());
            case "cloudformation" -> cloudFormation.handle(req, requestId());
            default -> sts.handle(req, requestId());
        };
    }

    private static AwsFault denied(String service, String action) {
        if (service.equals("ec2")) {
            // EC2 does not name the action; the message carries only an encoded authorization failure message
            return new AwsFault(403, "UnauthorizedOperation", "You are not authorized to perform this operation. "
                    + "Encoded authorization failure message: " + UUID.randomUUID().toString().replace("-", ""));
        }
        return new AwsFault(403, "AccessDenied", "User: arn:aws:iam::" + ACCOUNT_ID + ":user/test is not authorized"
                + " to perform: " + service + ":" + action + " because no identity-based policy allows the "
                + service + ":" + action + " action");
    }

    static String requestId() {
        return UUID.randomUUID().toString();
    }

    private static String errorXml(String service, String code, String message) {
        if (service.equals("ec2")) {
            return new Xml().start("Response").start("Errors").start("Error").el("Code", code).el("Message", message)
                    .end().end().el("RequestID", requestId()).end().toString();
        }
        String ns = switch (service) {
            case "sts" -> StsFake.NS;
            case "autoscaling" -> AutoScalingFake.NS;
            case "cloudformation" -> CloudFormationFake.NS;
            default -> RdsFake.NS;
        };
        String type = code.equals("InternalError") ? "Receiver" : "Sender";
        return new Xml().start("ErrorResponse", ns).start("Error").el("Type", type).el("Code", code)
                .el("Message", message).end().el("RequestId", requestId()).end().toString();
    }

    private static void reply(HttpExchange ex, int status, String xml) throws IOException {
        byte[] bytes = xml.getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().set("Content-Type", "text/xml;charset=UTF-8");
        ex.getResponseHeaders().set("x-amzn-RequestId", requestId());
        ex.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = ex.getResponseBody()) {
            out.write(bytes);
        }
    }

    private static Map<String, String> parseForm(String form) {
        Map<String, String> out = new LinkedHashMap<>();
        if (form.isEmpty()) {
            return out;
        }
        for (String pair : form.split("&")) {
            int eq = pair.indexOf('=');
            String k = eq < 0 ? pair : pair.substring(0, eq);
            String v = eq < 0 ? "" : pair.substring(eq + 1);
            out.put(URLDecoder.decode(k, StandardCharsets.UTF_8), URLDecoder.decode(v, StandardCharsets.UTF_8));
        }
        return out;
    }
}
