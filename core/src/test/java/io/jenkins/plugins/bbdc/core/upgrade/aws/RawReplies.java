package io.jenkins.plugins.bbdc.core.upgrade.aws;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.core.interceptor.SdkExecutionAttribute;

/** Keeps the body of every reply (success or error) as it came over the wire, by operation, for model checks. */
public final class RawReplies implements ExecutionInterceptor {
    /** One reply as received. */
    public record Reply(String operation, int status, String body) { }

    private final List<Reply> replies = new CopyOnWriteArrayList<>();

    @Override
    public Optional<InputStream> modifyHttpResponseContent(Context.ModifyHttpResponse context,
                                                           ExecutionAttributes attributes) {
        Optional<InputStream> body = context.responseBody();
        if (body.isEmpty()) {
            return body;
        }
        try {
            byte[] bytes = body.get().readAllBytes();
            replies.add(new Reply(attributes.getAttribute(SdkExecutionAttribute.OPERATION_NAME),
                    context.httpResponse().statusCode(), new String(bytes, StandardCharsets.UTF_8)));
            return Optional.of(new ByteArrayInputStream(bytes));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The last reply of this operation. */
    public Reply last(String operation) {
        for (int i = replies.size() - 1; i >= 0; i--) {
            if (replies.get(i).operation().equals(operation)) {
                return replies.get(i);
            }
        }
        throw new AssertionError("no reply of " + operation + " was seen");
    }

    /** Every operation a reply was seen of. */
    public List<String> operations() {
        return replies.stream().map(Reply::operation).distinct().toList();
    }
}
