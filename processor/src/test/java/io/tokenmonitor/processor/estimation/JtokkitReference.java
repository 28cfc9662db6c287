package io.tokenmonitor.processor.estimation;

import com.knuddels.jtokkit.api.Encoding;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.net.URL;
import java.net.URLClassLoader;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * jtokkit 1.1.0's {@code Encoding.countTokensOrdinary}, the reference that {@link ExactTokenCounter} must equal.
 *
 * <p>jtokkit is loaded by a class loader of its own with Java assertions disabled, as in production. Surefire
 * enables assertions, and then jtokkit's cl100k_base parser throws an {@link AssertionError} on any text with an
 * unpaired surrogate, instead of counting it as the service does.
 */
final class JtokkitReference implements AutoCloseable {

    private final URLClassLoader loader;
    private final Object registry;
    private final Method getEncoding;
    private final Method countTokensOrdinary;
    private final Method registerEncoding;
    private final Class<?> paramsClass;

    JtokkitReference() {
        URL jar = Encoding.class.getProtectionDomain().getCodeSource().getLocation();
        loader = new URLClassLoader(new URL[] {jar}, ClassLoader.getPlatformClassLoader());
        loader.setDefaultAssertionStatus(false);
        try {
            Class<?> encodings = loader.loadClass("com.knuddels.jtokkit.Encodings");
            Class<?> registryClass = loader.loadClass("com.knuddels.jtokkit.api.EncodingRegistry");
            Class<?> encodingClass = loader.loadClass("com.knuddels.jtokkit.api.Encoding");
            paramsClass = loader.loadClass("com.knuddels.jtokkit.api.GptBytePairEncodingParams");
            registry = encodings.getMethod("newLazyEncodingRegistry").invoke(null);
            getEncoding = registryClass.getMethod("getEncoding", String.class);
            registerEncoding = registryClass.getMethod("registerGptBytePairEncoding", paramsClass);
            countTokensOrdinary = encodingClass.getMethod("countTokensOrdinary", String.class);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("Failed to load jtokkit from " + jar, e);
        }
    }

    /** Registers a custom encoding as {@link ExactTokenizers} registered it with jtokkit. */
    void register(String name, Pattern splitPattern, Map<byte[], Integer> ranks) {
        try {
            Object params = paramsClass.getConstructor(String.class, Pattern.class, Map.class, Map.class)
                .newInstance(name, splitPattern, ranks, Map.of());
            registerEncoding.invoke(registry, params);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("Failed to register encoding " + name + " with jtokkit", e);
        }
    }

    /** Returns jtokkit's count of a text in an encoding, with special-token strings as ordinary text. */
    int count(String encodingName, String text) {
        try {
            Optional<?> encoding = (Optional<?>) getEncoding.invoke(registry, encodingName);
            Object found = encoding.orElseThrow(
                () -> new IllegalArgumentException("jtokkit has no encoding " + encodingName));
            return (Integer) countTokensOrdinary.invoke(found, text);
        } catch (InvocationTargetException e) {
            throw new IllegalStateException("jtokkit failed to count in " + encodingName, e.getCause());
        } catch (IllegalAccessException e) {
            throw new IllegalStateException("Failed to call jtokkit", e);
        }
    }

    @Override
    public void close() throws Exception {
        loader.close();
    }
}
