package io.huitong.hub.files;

import java.time.Instant;

/**
 * What registering a material takes: a complete upload and its metadata, as the client sent them. The material
 * capability checks every field (lengths, characters, the unified code's format and check character).
 *
 * @param businessNumber optional
 * @param unifiedCode    optional; when given, unique among materials
 */
public record MaterialRegistration(String uploadId, String name, String holderName, String holderIdNumber,
                                   String department, Instant issuedAt, String businessNumber, String unifiedCode,
                                   String caseNumber) {
}
