package com.messagingconnectors.registry;

/** An error answer in Confluent's shape: HTTP status plus {"error_code": ..., "message": ...}. */
final class RegistryError extends RuntimeException {
    final int httpStatus;
    final int errorCode;

    RegistryError(int httpStatus, int errorCode, String message) {
        super(message);
        this.httpStatus = httpStatus;
        this.errorCode = errorCode;
    }

    static RegistryError subjectNotFound(String subject) {
        return new RegistryError(404, 40401, "Subject '" + subject + "' not found.");
    }

    static RegistryError versionNotFound(int version) {
        return new RegistryError(404, 40402, "Version " + version + " not found.");
    }

    static RegistryError schemaNotFound(String what) {
        return new RegistryError(404, 40403, what + " not found");
    }

    static RegistryError subjectConfigNotFound(String subject) {
        return new RegistryError(404, 40408,
                "Subject '" + subject + "' does not have subject-level compatibility configured");
    }

    static RegistryError incompatible(String subject, Object details) {
        return new RegistryError(409, 409, "Schema being registered is incompatible with an earlier schema for "
                + "subject \"" + subject + "\", details: " + details);
    }

    static RegistryError invalidSchema(String reason) {
        return new RegistryError(422, 42201, "Invalid schema: " + reason);
    }

    static RegistryError invalidVersion(String version) {
        return new RegistryError(422, 42202, "The specified version '" + version + "' is not a valid version id. "
                + "Allowed values are between [1, 2^31-1] and the string \"latest\"");
    }

    static RegistryError invalidCompatibilityLevel(String level) {
        return new RegistryError(422, 42203, "Invalid compatibility level '" + level + "'. Valid values are none, "
                + "backward, forward, full, backward_transitive, forward_transitive, and full_transitive");
    }

    static RegistryError storeError(String what, Throwable cause) {
        RegistryError error = new RegistryError(500, 50001, "Error in the backend data store while " + what + ": "
                + cause.getMessage());
        error.initCause(cause);
        return error;
    }
}
