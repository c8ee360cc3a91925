package io.jenkins.plugins.bbdc.jenkins;

import java.lang.reflect.Field;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.Map;
import java.util.Objects;

/**
 * Loads an object the way Jenkins' XStream loads a saved job or global configuration: the instance is allocated
 * without running any constructor or field initialiser (Jenkins uses XStream's {@code SunUnsafeReflectionProvider},
 * i.e. {@code Unsafe.allocateInstance}), only the fields present in the saved XML are set, then {@code readResolve}
 * is called if the class has one — its own, or an inherited public or protected one, as XStream and Java
 * serialization look it up. Fields the saved XML lacks keep the JVM default: 0, false or null.
 */
public final class SavedConfiguration {
    private SavedConfiguration() {
    }

    /**
     * @param fields the fields the saved configuration holds, by name (declared anywhere in the class hierarchy)
     */
    public static <T> T load(Class<T> type, Map<String, ?> fields) throws ReflectiveOperationException {
        Object o = allocateWithoutConstructor(type);
        for (Map.Entry<String, ?> e : fields.entrySet()) {
            Field f = field(type, e.getKey());
            f.setAccessible(true);
            f.set(o, e.getValue());
        }
        Method readResolve = readResolve(type);
        if (readResolve == null) {
            return type.cast(o);
        }
        readResolve.setAccessible(true);
        try {
            return type.cast(readResolve.invoke(o));
        } catch (InvocationTargetException e) {
            throw new IllegalStateException("readResolve of " + type.getName() + " failed", e.getCause());
        }
    }

    private static Object allocateWithoutConstructor(Class<?> type) throws ReflectiveOperationException {
        Class<?> unsafeClass = Class.forName("sun.misc.Unsafe");
        Field theUnsafe = unsafeClass.getDeclaredField("theUnsafe");
        theUnsafe.setAccessible(true);
        Object unsafe = theUnsafe.get(null);
        return unsafeClass.getMethod("allocateInstance", Class.class).invoke(unsafe, type);
    }

    private static Field field(Class<?> type, String name) throws NoSuchFieldException {
        for (Class<?> c = type; c != null; c = c.getSuperclass()) {
            try {
                return c.getDeclaredField(name);
            } catch (NoSuchFieldException e) {
                // declared further up
            }
        }
        throw new NoSuchFieldException(type.getName() + " has no field '" + name + "'");
    }

    /** XStream's rule (SerializationMembers.getRRMethod), the same as Java serialization's. */
    private static Method readResolve(Class<?> type) {
        for (Class<?> c = type; c != null && c != Object.class; c = c.getSuperclass()) {
            Method m;
            try {
                m = c.getDeclaredMethod("readResolve");
            } catch (NoSuchMethodException e) {
                continue;
            }
            if (c == type) {
                return m;
            }
            int mod = m.getModifiers();
            if (Modifier.isPublic(mod) || Modifier.isProtected(mod)) {
                return m;
            }
            boolean packagePrivate = !Modifier.isPrivate(mod);
            return packagePrivate && Objects.equals(type.getPackageName(), c.getPackageName()) ? m : null;
        }
        return null;
    }
}
