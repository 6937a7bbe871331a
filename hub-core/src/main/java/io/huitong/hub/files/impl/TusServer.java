package io.huitong.hub.files.impl;

import io.huitong.config.Secret;
import io.huitong.crypto.Sm3Stream;
import io.huitong.hub.files.FileUploads;
import io.huitong.hub.files.FilesConfig;
import io.huitong.hub.files.FilesRoutes;
import io.huitong.hub.files.UploadStore;
import io.huitong.hub.files.UploadStore.Chunk;
import io.huitong.hub.files.impl.UploadTable.Held;
import io.huitong.hub.files.impl.UploadTable.Upload;
import io.huitong.hub.http.HubError;
import io.huitong.hub.http.HubException;
import io.huitong.hub.proxy.ConsumerRegistry;
import io.huitong.hub.signing.MasterKey;
import io.huitong.hub.storage.Storage;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.core.buffer.Buffer;
import io.vertx.mutiny.core.http.HttpServerRequest;
import io.vertx.mutiny.core.http.HttpServerResponse;
import io.vertx.mutiny.ext.web.RoutingContext;
import java.net.URI;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The tus 1.0.0 protocol over {@link UploadTable} and an {@link UploadStore}. One instance serves every event loop:
 * each request runs on the loop it arrived on, database calls are reactive and file I/O runs on Vert.x's workers.
 * A request that writes or deletes an upload holds a lease on it in PostgreSQL for its duration, renewed while it
 * runs, so no two requests on any members write one upload: a second one is answered 423. Each chunk continues the
 * upload's SM3 from the state saved with its offset, so completing an upload needs no second read of its bytes.
 * Who may do what is decided apart: every request but OPTIONS acts for the consumer of its upload grant
 * ({@link UploadAccess}), uploads are created within that consumer's quota ({@link Quotas}), and a chunk's first bytes
 * must be of an allowed type ({@link FileTypes}).
 */
public final class TusServer implements FileUploads {
  private static final Logger LOG = LoggerFactory.getLogger(TusServer.class);
  static final String VERSION = "1.0.0";
  static final String EXTENSIONS =
      "creation,creation-with-upload,creation-defer-length,expiration,checksum,termination,concatenation";
  static final String PARTIAL = "partial";
  static final String FINAL = "final;";
  static final String OFFSET_STREAM = "application/offset+octet-stream";
  private static final Pattern BYTE_RANGE = Pattern.compile("bytes=(\\d{0,18})-(\\d{0,18})", Pattern.CASE_INSENSITIVE);
  private static final DateTimeFormatter HTTP_DATE =
      DateTimeFormatter.ofPattern("EEE, dd MMM yyyy HH:mm:ss 'GMT'", Locale.US).withZone(ZoneOffset.UTC);

  private final Vertx vertx;
  private final UploadTable table;
  private final UploadStore store;
  private final FilesConfig config;
  private final String member;
  private final UploadAccess access;
  private final Quotas quotas;
  private final FileTypes types;
  private final AtomicBoolean sweeping = new AtomicBoolean();
  private final long sweepTimer;

  private TusServer(Vertx vertx, UploadTable table, UploadStore store, FilesConfig config, String member,
                    UploadAccess access, Quotas quotas, FileTypes types) {
    this.vertx = vertx;
    this.table = table;
    this.store = store;
    this.config = config;
    this.member = member;
    this.access = access;
    this.quotas = quotas;
    this.types = types;
    this.sweepTimer = vertx.setPeriodic(config.sweepInterval().toMillis(), t -> sweep());
  }

  /**
   * Serves uploads as cluster member {@code member}, first letting go of the uploads an earlier run of this member
   * held when it stopped (none of its requests can be running now), so they can be resumed at once. Its tus requests
   * need the grants {@code consumers} can ask for, unless access is open.
   */
  public static Uni<FileUploads> start(Vertx vertx, Storage storage, UploadStore store, FilesConfig config,
                                       String member, MasterKey master, ConsumerRegistry consumers,
                                       Secret operatorToken) {
    UploadTable table = new UploadTable(storage);
    UploadGrants grants = new UploadGrants(master.derive(UploadGrants.KEY_PURPOSE), config.access().grantTtl(),
        java.time.Clock.systemUTC());
    UploadAccess access = new UploadAccess(config.access(), grants, consumers, operatorToken);
    Quotas quotas = new Quotas(storage, config.access().quota(), consumers);
    FileTypes types = new FileTypes(config.access().allowedTypes(), store);
    return table.releaseAll(member).map(released -> {
      if (released > 0) {
        LOG.info("Let go of {} upload(s) this member held when it last stopped", released);
      }
      return new TusServer(vertx, table, store, config, member, access, quotas, types);
    });
  }

  @Override
  public void serve(RoutingContext ctx) {
    HttpServerRequest request = ctx.request();
    HttpServerResponse response = ctx.response();
    response.putHeader("Tus-Resumable", VERSION);
    String override = request.getHeader("X-HTTP-Method-Override");
    String method = override != null ? override.trim().toUpperCase(Locale.ROOT) : request.method().name();
    String id = ctx.pathParam("id");
    boolean withBody = request.method().name().equals("POST") || request.method().name().equals("PATCH");
    if (withBody) {
      // Nothing may be read before the upload is checked; the store resumes the request when it is ready to write.
      request.pause();
    }
    Uni<Void> answer;
    try {
      if (method.equals("OPTIONS")) {
        answer = options(response);
      } else if (method.equals("GET") && id != null) {
        // A download is plain HTTP: browsers and download tools send no Tus-Resumable.
        answer = download(ctx, id, access.caller(request));
      } else {
        requireVersion(request, response);
        String caller = access.caller(request);
        answer = switch (method) {
          case "POST" -> id == null ? create(ctx, caller) : notAllowed();
          case "HEAD" -> id == null ? notAllowed() : head(response, id, caller);
          case "PATCH" -> id == null ? notAllowed() : patch(ctx, id, caller);
          case "DELETE" -> id == null ? notAllowed() : terminate(response, id, caller);
          default -> notAllowed();
        };
      }
    } catch (RuntimeException e) {
      answer = Uni.createFrom().failure(e);
    }
    answer.subscribe().with(done -> { }, failure -> {
      if (withBody && !request.isEnded()) {
        // The rest of the body is not read: the connection cannot carry another request.
        if (!response.headWritten()) {
          response.putHeader("Connection", "close");
        }
        request.resume();
      }
      ctx.fail(failure);
    });
  }

  private static void requireVersion(HttpServerRequest request, HttpServerResponse response) {
    if (!VERSION.equals(request.getHeader("Tus-Resumable"))) {
      response.putHeader("Tus-Version", VERSION);
      throw HubError.TUS_VERSION.exception("Send Tus-Resumable: " + VERSION);
    }
  }

  private static Uni<Void> notAllowed() {
    return Uni.createFrom().failure(HubError.METHOD_NOT_ALLOWED.exception(
        "An upload takes GET, HEAD, PATCH and DELETE; " + FilesRoutes.PREFIX + " takes POST"));
  }

  private Uni<Void> options(HttpServerResponse response) {
    return response.putHeader("Tus-Version", VERSION)
        .putHeader("Tus-Extension", EXTENSIONS)
        .putHeader("Tus-Max-Size", Long.toString(config.maxSize()))
        .putHeader("Tus-Checksum-Algorithm", String.join(",", Checksum.ALGORITHMS))
        .setStatusCode(204).end();
  }

  private Uni<Void> create(RoutingContext ctx, String caller) {
    HttpServerRequest request = ctx.request();
    String concat = request.getHeader("Upload-Concat");
    if (concat != null && concat.startsWith(FINAL)) {
      return createFinal(ctx, concat.substring(FINAL.length()), caller);
    }
    if (concat != null && !concat.equals(PARTIAL)) {
      throw HubError.UPLOAD_HEADER_INVALID.exception("Upload-Concat is partial, or final; and the partial uploads' URLs");
    }
    Long length = longHeader(request, "Upload-Length");
    String defer = request.getHeader("Upload-Defer-Length");
    if ((length == null) == (defer == null)) {
      throw HubError.UPLOAD_HEADER_INVALID.exception("Send either Upload-Length or Upload-Defer-Length: 1");
    }
    if (defer != null && !defer.equals("1")) {
      throw HubError.UPLOAD_HEADER_INVALID.exception("Upload-Defer-Length can only be 1");
    }
    if (length != null && length > config.maxSize()) {
      throw HubError.UPLOAD_TOO_LARGE.exception("Upload-Length " + length + " is over Tus-Max-Size " + config.maxSize());
    }
    String metadata = UploadMetadata.check(request.getHeader("Upload-Metadata"));
    boolean withData = OFFSET_STREAM.equals(request.getHeader("Content-Type"));
    Checksum checksum = withData ? Checksum.parse(request.getHeader("Upload-Checksum")) : null;
    String id = newId();
    Instant expires = expiry();
    Upload upload = new Upload(id, length, 0, metadata, expires, concat, caller);
    // The row first: should the file then fail to appear, the sweep still finds the upload and removes it.
    return quotas.insert(table, upload)
        .chain(() -> store.create(id))
        .chain(() -> {
          if (withData) {
            return holding(id, caller, held -> quotas.room(upload)
                .chain(room -> receive(ctx, held, null, checksum, room)));
          }
          return length != null && length == 0 ? holding(id, caller, held -> finish(held, 0, null, new Sm3Stream()))
              : Uni.createFrom().item(upload);
        })
        .chain(stored -> {
          HttpServerResponse response = ctx.response().putHeader("Location", FilesRoutes.PREFIX + id);
          if (withData) {
            response.putHeader("Upload-Offset", Long.toString(stored.offset()));
          }
          putExpires(response, stored);
          return response.setStatusCode(201).end();
        });
  }

  /**
   * Creates a final upload from the partial uploads listed in {@code urls}, in order. Each must be complete; their bytes
   * are copied into the final upload before the answer, so it is complete once created. The parts are held while
   * they are copied: deleting one meanwhile is answered 423, and so is this request while another holds a part.
   */
  private Uni<Void> createFinal(RoutingContext ctx, String urls, String caller) {
    HttpServerRequest request = ctx.request();
    if (request.getHeader("Upload-Length") != null || request.getHeader("Upload-Defer-Length") != null) {
      throw HubError.UPLOAD_HEADER_INVALID.exception("A final upload's length is the sum of its parts; send no length");
    }
    if (OFFSET_STREAM.equals(request.getHeader("Content-Type"))) {
      throw HubError.UPLOAD_HEADER_INVALID.exception("A final upload takes no data: its bytes are its parts'");
    }
    List<String> parts = partIds(urls);
    String metadata = UploadMetadata.check(request.getHeader("Upload-Metadata"));
    return holdingAll(parts.stream().distinct().toList(), caller, List.of(), held -> {
          Map<String, Upload> byId = held.stream().collect(Collectors.toMap(h -> h.upload().id(), Held::upload));
          long length = 0;
          for (String id : parts) {
            Upload part = byId.get(id);
            if (!PARTIAL.equals(part.concat()) || !part.isComplete()) {
              throw HubError.UPLOAD_PART_INVALID.exception("Upload " + part.id() + " is not a complete partial upload");
            }
            length += part.length();
          }
          if (length > config.maxSize()) {
            throw HubError.UPLOAD_TOO_LARGE.exception("The parts' " + length + " bytes are over Tus-Max-Size " + config.maxSize());
          }
          String id = newId();
          String concat = FINAL + parts.stream().map(part -> FilesRoutes.PREFIX + part).collect(Collectors.joining(" "));
          Upload upload = new Upload(id, length, 0, metadata, expiry(), concat, caller);
          long written = length;
          return types.checkParts(parts.stream().map(byId::get).toList())
              .chain(() -> quotas.insert(table, upload))
              .chain(() -> store.create(id))
              .chain(() -> holding(id, caller, building -> store.concatenate(id, parts)
                  .chain(sm3 -> record(building, written, null, null, sm3))));
        })
        .chain(stored -> ctx.response().putHeader("Location", FilesRoutes.PREFIX + stored.id()).setStatusCode(201).end());
  }

  /** The upload ids of Upload-Concat's space-separated URLs, absolute or relative, each one of an upload here. */
  private static List<String> partIds(String urls) {
    List<String> ids = new ArrayList<>();
    for (String url : urls.trim().split(" +")) {
      String path;
      try {
        path = URI.create(url).getPath();
      } catch (IllegalArgumentException e) {
        path = null;
      }
      String id = path == null || !path.startsWith(FilesRoutes.PREFIX) ? "" : path.substring(FilesRoutes.PREFIX.length());
      if (id.isEmpty() || id.contains("/")) {
        throw HubError.UPLOAD_HEADER_INVALID.exception("Upload-Concat lists " + url + ", which is no upload URL");
      }
      ids.add(id);
    }
    return ids;
  }

  private Uni<Void> head(HttpServerResponse response, String id, String caller) {
    return existing(id, caller).chain(upload -> {
      response.putHeader("Cache-Control", "no-store");
      if (upload.concat() != null) {
        response.putHeader("Upload-Concat", upload.concat());
      }
      // A final upload has no offset to resume from: it has one once its parts are copied, and it is then complete.
      if (!upload.isFinal() || upload.isComplete()) {
        response.putHeader("Upload-Offset", Long.toString(upload.offset()));
      }
      if (upload.length() != null) {
        response.putHeader("Upload-Length", Long.toString(upload.length()));
      } else {
        response.putHeader("Upload-Defer-Length", "1");
      }
      if (upload.metadata() != null) {
        response.putHeader("Upload-Metadata", upload.metadata());
      }
      putExpires(response, upload);
      return response.setStatusCode(200).end();
    });
  }

  private Uni<Void> patch(RoutingContext ctx, String id, String caller) {
    HttpServerRequest request = ctx.request();
    if (!OFFSET_STREAM.equals(request.getHeader("Content-Type"))) {
      throw HubError.UNSUPPORTED_MEDIA_TYPE.exception("A PATCH carries Content-Type: " + OFFSET_STREAM);
    }
    Long offset = longHeader(request, "Upload-Offset");
    if (offset == null) {
      throw HubError.UPLOAD_HEADER_INVALID.exception("A PATCH carries Upload-Offset");
    }
    Long length = longHeader(request, "Upload-Length");
    Checksum checksum = Checksum.parse(request.getHeader("Upload-Checksum"));
    return holding(id, caller, held -> {
      Upload upload = held.upload();
      if (upload.isFinal()) {
        throw HubError.UPLOAD_FINAL.exception("Upload " + id + " is a final upload: its bytes come from its parts");
      }
      if (upload.offset() != offset) {
        throw HubError.UPLOAD_OFFSET_MISMATCH.exception("The upload's offset is " + upload.offset() + ", not " + offset);
      }
      if (length != null) {
        if (upload.length() != null && !upload.length().equals(length)) {
          throw HubError.UPLOAD_HEADER_INVALID.exception("The upload's length is " + upload.length() + " already");
        }
        if (length < upload.offset()) {
          throw HubError.UPLOAD_HEADER_INVALID.exception("Upload-Length " + length + " is below the offset");
        }
        if (length > config.maxSize()) {
          throw HubError.UPLOAD_TOO_LARGE.exception("Upload-Length " + length + " is over Tus-Max-Size " + config.maxSize());
        }
      }
      Uni<Held> sized = length == null || upload.length() != null ? Uni.createFrom().item(held)
          : quotas.fixLength(upload, length).map(fixed -> new Held(fixed, held.holder(), held.sm3State()));
      return sized.chain(ready -> quotas.room(ready.upload()).chain(room ->
          receive(ctx, ready, ready.upload().length() == null ? length : null, checksum, room)));
    }).chain(stored -> {
      HttpServerResponse response = ctx.response().putHeader("Upload-Offset", Long.toString(stored.offset()));
      putExpires(response, stored);
      return response.setStatusCode(204).end();
    });
  }

  /**
   * Streams the request body into the store at the upload's offset, then moves the offset past what was durably
   * written, fixing a deferred length and recording the SM3 digest when the upload is complete. A chunk refused by
   * its checksum or cut short while checked is cut off again; one cut short otherwise is kept.
   *
   * @param newLength a deferred length the request fixes, or null
   * @param quotaRoom what the owner's quota leaves for the chunk ({@link Quotas#room})
   */
  private Uni<Upload> receive(RoutingContext ctx, Held held, Long newLength, Checksum checksum, long quotaRoom) {
    HttpServerRequest request = ctx.request();
    Upload upload = held.upload();
    Long length = upload.length() != null ? upload.length() : newLength;
    long end = (length != null ? length : config.maxSize()) - upload.offset();
    long room = Math.min(end, quotaRoom);
    Supplier<RuntimeException> overRoom = () -> room < end
        ? new HubException(HubError.UPLOAD_QUOTA, "The chunk goes past the consumer's quota", Map.of("remaining", room))
        : HubError.UPLOAD_TOO_LARGE.exception("The chunk goes past the upload's end");
    Long declared = longHeader(request, "Content-Length");
    if (declared != null && declared > room) {
      throw overRoom.get();
    }
    if ("100-continue".equalsIgnoreCase(request.getHeader("Expect"))) {
      // The headers are accepted: ask for the body (Vert.x does not answer 100-continue by itself).
      ctx.response().writeContinue();
    }
    String id = upload.id();
    long offset = upload.offset();
    // Rows from before digests were saved with offsets have none: their digest is read back on completion.
    Sm3Stream digest = held.sm3State() != null ? Sm3Stream.resume(held.sm3State()) : offset == 0 ? new Sm3Stream() : null;
    Consumer<Buffer> observer = bytes -> {
      if (digest != null) {
        byte[] b = bytes.getBytes();
        digest.update(b, 0, b.length);
      }
      if (checksum != null) {
        checksum.update(bytes);
      }
    };
    return store.truncate(id, offset)
        .chain(() -> types.gate(upload, length, request))
        .chain(gate -> store.append(id, offset, gate.body(), room, observer)
            .chain(chunk -> gate.refusal().<RuntimeException>map(e -> e).or(() -> refusal(chunk, checksum, overRoom))
                .map(error -> store.truncate(id, offset).<Upload>chain(() -> Uni.createFrom().failure(error)))
                .orElseGet(() -> finish(held, chunk.written(), newLength, digest))));
  }

  private static Optional<RuntimeException> refusal(Chunk chunk, Checksum checksum, Supplier<RuntimeException> overRoom) {
    return switch (chunk.end()) {
      case OVER_LIMIT -> Optional.of(overRoom.get());
      case INTERRUPTED -> checksum == null ? Optional.empty() : Optional.of(
          HubError.UPLOAD_HEADER_INVALID.exception("The chunk ended before its checksum could be checked"));
      case COMPLETE -> checksum == null || checksum.matches() ? Optional.empty()
          : Optional.of(HubError.CHECKSUM_MISMATCH.exception("The chunk's digest differs from Upload-Checksum"));
    };
  }

  /**
   * Records {@code written} more bytes of the held upload with {@code digest} over all its bytes so far (null to read
   * them back), and the final SM3 if that completes it.
   */
  private Uni<Upload> finish(Held held, long written, Long newLength, Sm3Stream digest) {
    Upload upload = held.upload();
    long to = upload.offset() + written;
    Long length = upload.length() != null ? upload.length() : newLength;
    if (length == null || to != length) {
      return record(held, written, newLength, digest == null ? null : digest.state(), null);
    }
    Uni<byte[]> sm3 = digest == null ? store.sm3(upload.id()) : Uni.createFrom().item(digest::digest);
    return sm3.chain(complete -> record(held, written, newLength, null, complete));
  }

  /** Moves the held upload's offset by {@code written}; with {@code sm3} it is complete and no longer expires. */
  private Uni<Upload> record(Held held, long written, Long newLength, byte[] sm3State, byte[] sm3) {
    Upload upload = held.upload();
    long to = upload.offset() + written;
    Long length = upload.length() != null ? upload.length() : newLength;
    Instant expires = sm3 != null ? null : expiry();
    return table.advance(held, to, newLength, expires, sm3State, sm3).map(advanced -> {
      if (!advanced) {
        throw HubError.UPLOAD_OFFSET_MISMATCH.exception("The upload was written by another request meanwhile");
      }
      return new Upload(upload.id(), length, to, upload.metadata(), expires, upload.concat(), upload.owner());
    });
  }

  /**
   * Sends a complete upload whole (200), or the single byte range its Range asks for (206) unless If-Range names
   * another version; a range with no byte in the file is 416. The ETag is the file's SM3. The bytes stream from the
   * store as the connection takes them.
   */
  private Uni<Void> download(RoutingContext ctx, String id, String caller) {
    HttpServerRequest request = ctx.request();
    return existing(id, caller).chain(upload -> {
      if (!upload.isComplete()) {
        throw HubError.UPLOAD_INCOMPLETE.exception("Upload " + id + " has " + upload.offset() + " bytes so far");
      }
      return table.sm3(id).chain(sm3 -> {
        if (sm3 == null) {
          throw HubError.UPLOAD_NOT_FOUND.exception("No upload " + id);
        }
        long length = upload.length();
        String etag = "\"" + HexFormat.of().formatHex(sm3) + "\"";
        HttpServerResponse response = ctx.response().putHeader("ETag", etag).putHeader("Accept-Ranges", "bytes")
            .putHeader("Content-Type", "application/octet-stream");
        String range = request.getHeader("Range");
        String ifRange = request.getHeader("If-Range");
        long[] span = range == null || ifRange != null && !ifRange.equals(etag) ? null : byteRange(range, length, response);
        long first = 0;
        long count = length;
        if (span != null) {
          first = span[0];
          count = span[1] - span[0] + 1;
          response.setStatusCode(206).putHeader("Content-Range", "bytes " + span[0] + "-" + span[1] + "/" + length);
        }
        response.putHeader("Content-Length", Long.toString(count));
        return count == 0 ? response.end() : store.read(id, first, count, response);
      });
    });
  }

  /**
   * The first and last byte of a single range in {@code range}, or null to send the whole file: several ranges, or a
   * header that is no valid range. 416 (with the file's length in Content-Range) when the range has no byte in it.
   */
  private static long[] byteRange(String range, long length, HttpServerResponse response) {
    Matcher m = BYTE_RANGE.matcher(range.trim());
    if (!m.matches() || m.group(1).isEmpty() && m.group(2).isEmpty()) {
      return null;
    }
    long first;
    long last = length - 1;
    if (m.group(1).isEmpty()) {
      first = Math.max(0, length - Long.parseLong(m.group(2)));
    } else {
      first = Long.parseLong(m.group(1));
      if (!m.group(2).isEmpty()) {
        long end = Long.parseLong(m.group(2));
        if (end < first) {
          return null;
        }
        last = Math.min(end, last);
      }
    }
    if (first > last) {
      response.putHeader("Content-Range", "bytes */" + length);
      throw HubError.RANGE_NOT_SATISFIABLE.exception("The file has " + length + " bytes; the range is " + range);
    }
    return new long[] {first, last};
  }

  private Uni<Void> terminate(HttpServerResponse response, String id, String caller) {
    return holding(id, caller, held -> table.delete(id).chain(() -> store.delete(id)))
        .chain(() -> response.setStatusCode(204).end());
  }

  /** The upload; 404 if there is none or it is not {@code caller}'s to use, 410 if it expired unfinished. */
  private Uni<Upload> existing(String id, String caller) {
    return table.find(id).map(upload -> live(id, upload == null || !UploadAccess.mayUse(caller, upload) ? null : upload));
  }

  private static Upload live(String id, Upload upload) {
    if (upload == null) {
      throw HubError.UPLOAD_NOT_FOUND.exception("No upload " + id);
    }
    if (upload.expires() != null && upload.expires().isBefore(Instant.now())) {
      throw HubError.UPLOAD_EXPIRED.exception("Upload " + id + " expired at " + HTTP_DATE.format(upload.expires()));
    }
    return upload;
  }

  /**
   * Runs {@code work} holding a lease on the live upload, renewed while it runs and given back when it ends; 423
   * while another request on any member holds it (404 and 410 as for any request). Only an upload {@code caller}
   * may use is held.
   */
  private <T> Uni<T> holding(String id, String caller, Function<Held, Uni<T>> work) {
    String holder = member + " " + newId();
    return table.hold(id, holder, config.lease(), caller).chain(held -> {
      if (held == null) {
        return existing(id, caller).chain(upload -> Uni.createFrom().<T>failure(
            HubError.UPLOAD_LOCKED.exception("Upload " + id + " is being written or deleted by another request")));
      }
      long renewal = vertx.setPeriodic(Math.max(100, config.lease().toMillis() / 3), t -> renew(id, holder));
      return Uni.createFrom().deferred(() -> {
            live(id, held.upload());
            return work.apply(held);
          })
          .eventually(() -> {
            vertx.cancelTimer(renewal);
            return table.release(id, holder).onFailure().recoverWithNull();
          });
    });
  }

  /** Extends a running request's lease; one that was lost shows when the request moves the offset (409). */
  private void renew(String id, String holder) {
    table.renew(id, holder, config.lease()).subscribe().with(renewed -> {
      if (!renewed) {
        LOG.warn("Lost the lease on upload {}: another request took it over", id);
      }
    }, failure -> LOG.warn("Renewing the lease on upload {} failed: {}", id, failure.toString()));
  }

  /** Runs {@code work} holding every upload in {@code ids} (and those {@code held} already), taken one by one. */
  private <T> Uni<T> holdingAll(List<String> ids, String caller, List<Held> held, Function<List<Held>, Uni<T>> work) {
    if (ids.isEmpty()) {
      return work.apply(held);
    }
    return holding(ids.get(0), caller, first -> {
      List<Held> more = new ArrayList<>(held);
      more.add(first);
      return holdingAll(ids.subList(1, ids.size()), caller, more, work);
    });
  }

  private static String newId() {
    return UUID.randomUUID().toString().replace("-", "");
  }

  private Instant expiry() {
    return Instant.now().plus(config.expiration()).truncatedTo(ChronoUnit.SECONDS);
  }

  private static void putExpires(HttpServerResponse response, Upload upload) {
    if (upload.expires() != null) {
      response.putHeader("Upload-Expires", HTTP_DATE.format(upload.expires()));
    }
  }

  /** A non-negative integer header, or null when absent; 400 when it is something else. */
  private static Long longHeader(HttpServerRequest request, String name) {
    String value = request.getHeader(name);
    if (value == null) {
      return null;
    }
    if (!value.matches("\\d{1,18}")) {
      throw HubError.UPLOAD_HEADER_INVALID.exception(name + " is not a non-negative integer");
    }
    return Long.parseLong(value);
  }

  /**
   * Deletes expired unfinished uploads, the row first so a file is never removed under a live upload; then files no
   * upload owns, which a crash between deleting a row and its file leaves behind. A file is created only after its
   * row, so a file without a row is never one being created.
   */
  private void sweep() {
    if (!sweeping.compareAndSet(false, true)) {
      return;
    }
    Uni<Integer> expired = table.expired()
        .onItem().transformToMulti(ids -> Multi.createFrom().iterable(ids))
        .onItem().transformToUniAndConcatenate(id -> table.deleteExpired(id)
            .chain(deleted -> deleted ? store.delete(id).replaceWith(1) : Uni.createFrom().item(0)))
        .collect().with(Collectors.summingInt(n -> n));
    Uni<Integer> orphans = store.ids()
        .chain(files -> files.isEmpty() ? Uni.createFrom().item(List.<String>of())
            : table.known(files).map(known -> files.stream().filter(id -> !known.contains(id)).toList()))
        .chain(unowned -> unowned.isEmpty() ? Uni.createFrom().item(0)
            : Multi.createFrom().iterable(unowned).onItem().transformToUniAndConcatenate(store::delete)
                .collect().last().replaceWith(unowned.size()));
    expired.chain(n -> orphans.map(o -> new int[] {n, o}))
        .onTermination().invoke(() -> sweeping.set(false))
        .subscribe().with(swept -> {
          if (swept[0] > 0 || swept[1] > 0) {
            LOG.info("Swept {} expired upload(s) and {} file(s) no upload owns", swept[0], swept[1]);
          }
        }, failure -> LOG.warn("Sweeping expired uploads failed: {}", failure.toString()));
  }

  @Override
  public Uni<JsonObject> grant(RoutingContext ctx) {
    return access.grant(ctx);
  }

  @Override
  public Uni<JsonObject> usage(String consumer) {
    return quotas.show(consumer);
  }

  @Override
  public Uni<JsonObject> setQuota(String consumer, JsonObject request) {
    return quotas.set(consumer, request);
  }

  @Override
  public Uni<JsonObject> clearQuota(String consumer) {
    return quotas.clear(consumer);
  }

  @Override
  public Uni<Void> close() {
    vertx.cancelTimer(sweepTimer);
    return Uni.createFrom().voidItem();
  }
}
