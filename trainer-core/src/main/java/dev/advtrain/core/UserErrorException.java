package dev.advtrain.core;

/**
 * A problem with what the user gave advtrain (a config key, a file, a value) rather than a bug.
 *
 * <p>The message is one line that names the problem and the key or file involved; the CLI prints it
 * without a stack trace and exits with code 2.
 */
public class UserErrorException extends RuntimeException {

    public UserErrorException(String message) {
        super(message);
    }

    public UserErrorException(String message, Throwable cause) {
        super(message, cause);
    }

    /** The first line of an exception's message (its class name if it has none), for one-line reports. */
    public static String firstLine(Throwable e) {
        String message = e.getMessage() == null ? e.getClass().getName() : e.getMessage();
        return message.lines().findFirst().orElse(message);
    }
}
