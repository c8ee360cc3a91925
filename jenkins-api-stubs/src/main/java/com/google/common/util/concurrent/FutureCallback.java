package com.google.common.util.concurrent;

import org.jspecify.annotations.Nullable;

public interface FutureCallback<V extends @Nullable Object> {
    void onSuccess(@ParametricNullness V result);

    void onFailure(Throwable t);
}
