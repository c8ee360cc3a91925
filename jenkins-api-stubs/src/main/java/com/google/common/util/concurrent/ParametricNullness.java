package com.google.common.util.concurrent;

import static java.lang.annotation.ElementType.FIELD;
import static java.lang.annotation.ElementType.METHOD;
import static java.lang.annotation.ElementType.PARAMETER;
import static java.lang.annotation.RetentionPolicy.CLASS;

import java.lang.annotation.Retention;
import java.lang.annotation.Target;

/** Package-private in Guava too; declared because {@link FutureCallback#onSuccess} carries it. */
@Retention(CLASS)
@Target({FIELD, METHOD, PARAMETER})
@interface ParametricNullness {}
