package io.jenkins.plugins.casc.misc;

import static java.lang.annotation.ElementType.FIELD;
import static java.lang.annotation.ElementType.METHOD;
import static java.lang.annotation.RetentionPolicy.RUNTIME;

import java.lang.annotation.Retention;
import java.lang.annotation.Target;

/** Left out: the element {@code expected}, whose default is the JUnit 4 type {@code org.junit.Test.None}. */
@Target({METHOD, FIELD})
@Retention(RUNTIME)
public @interface ConfiguredWithCode {
    String[] value();

    String message() default "";
}
