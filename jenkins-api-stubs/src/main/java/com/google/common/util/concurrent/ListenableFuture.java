package com.google.common.util.concurrent;

import java.util.concurrent.Executor;
import java.util.concurrent.Future;
import org.jspecify.annotations.Nullable;

public interface ListenableFuture<V extends @Nullable Object> extends Future<V> {
    void addListener(Runnable listener, Executor executor);
}
