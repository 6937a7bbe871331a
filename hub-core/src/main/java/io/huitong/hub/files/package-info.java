/**
 * Resumable file transfer (断点续传): a tus 1.0.0 server at {@code /files/} with the creation,
 * creation-with-upload, creation-defer-length, expiration, checksum (sm3, sha256, sha1) and termination extensions.
 * Upload bytes go to an {@link io.huitong.hub.files.UploadStore} (plain files under {@code data-dir/files} by
 * default); an upload's offset moves only after its bytes are fsynced, and the SM3 digest of a complete upload is
 * recorded. Unless {@code files.access} is {@code open}, every request carries an upload grant, a bearer token a
 * consumer of the data proxy obtains with a signed {@code POST /api/v1/files/grants}; an upload is its owner's alone.
 * Each consumer's live uploads stay within its quota, and an upload's first bytes must show an allowed file type.
 * Complete uploads become sealed electronic materials ({@link io.huitong.hub.files.Materials}, admin API
 * under {@code /api/v1/admin/materials}), and a department's materials are exported in bulk as a ZIP archive stored
 * as an upload ({@code /api/v1/admin/exports}).
 *
 * <p>Tables (schema {@code files}): {@code upload}, {@code consumer_quota}, {@code material}, {@code material_signer},
 * {@code export_job}. Config keys: {@code files.*} ({@link io.huitong.hub.files.FilesConfig}). See docs/files.md and
 * docs/materials.md.
 */
package io.huitong.hub.files;
