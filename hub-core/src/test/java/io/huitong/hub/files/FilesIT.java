package io.huitong.hub.files;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.hazelcast.core.HazelcastInstance;
import io.huitong.config.Secret;
import io.huitong.consumer.ConsumerSignature;
import io.huitong.crypto.Sm3;
import io.huitong.crypto.Sm4Ctr;
import io.huitong.hub.Eventually;
import io.huitong.hub.cluster.LoneMember;
import io.huitong.hub.config.HubConfiguration;
import io.huitong.hub.http.ApiRouter;
import io.huitong.hub.http.Drain;
import io.huitong.hub.http.Problems;
import io.huitong.hub.proxy.DataProxy;
import io.huitong.hub.proxy.ProxyConfig;
import io.huitong.hub.proxy.ProxyDefinitions;
import io.huitong.hub.signing.MasterKey;
import io.huitong.hub.storage.Migrations;
import io.huitong.hub.storage.ScratchDatabase;
import io.huitong.hub.storage.Storage;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.tus.java.client.TusClient;
import io.tus.java.client.TusURLMemoryStore;
import io.tus.java.client.TusUpload;
import io.tus.java.client.TusUploader;
import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.core.http.HttpServer;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;
import org.bouncycastle.crypto.digests.SM3Digest;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The tus server on a real socket, over the machine's PostgreSQL (a fresh database for the class) and a local store
 * in a temporary directory: the status table of the spec, chunked uploads checked by SM3, checksums, the expiry
 * sweep, 100-continue, concatenation, ranged downloads, and tus-java-client resuming an upload cut mid-request.
 * Access is by upload grants, which consumers of a real data proxy (over a Hazelcast member of its own) ask for with
 * signed requests; every request sends the owner's grant unless its row says otherwise ({@link #AS}).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class FilesIT {
  private static final Duration LIMIT = Duration.ofSeconds(60);
  private static final long MAX_SIZE = 64L << 20;
  private static final byte[] HELLO = "hello world".getBytes(StandardCharsets.US_ASCII);
  private static final String OCTETS = "application/offset+octet-stream";

  private static final MasterKey MASTER = MasterKey.of("0123456789abcdef".getBytes(StandardCharsets.US_ASCII));
  private static final Duration LEASE = Duration.ofSeconds(10);
  private static final String MEMBER = "member-a";
  /**
   * A row's header saying which Authorization to send instead of the owner's grant, taken off before sending:
   * {@code other} (another consumer's grant), {@code small} (the grant of a consumer whose quota is
   * {@link #SMALL_QUOTA} bytes), {@code forged} (the owner's with its MAC changed), {@code operator} (the operator
   * token), {@code none}, or the header's value itself.
   */
  private static final String AS = "X-Test-As";
  private static final Secret OPERATOR = Secret.of("operator-token-of-files-it-0123456789");
  /**
   * A row's header naming the member to send to instead of the first one, taken off before sending: {@code typed}
   * (allowed types pdf and ofd) or {@code open} (files.access open). Members share the database and the store.
   */
  private static final String ON = "X-Test-On";
  /** Every consumer's quota but the one {@code small}'s, which the admin API sets to {@link #SMALL_QUOTA}. */
  private static final long QUOTA = 1L << 30;
  private static final long SMALL_QUOTA = 20;
  private static final FilesConfig.Access GRANTS = new FilesConfig.Access(false, Duration.ofHours(1), QUOTA, List.of());

  private final FilesConfig config = new FilesConfig("", MAX_SIZE, Duration.ofHours(1), Duration.ofHours(1), true, LEASE,
      GRANTS);
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private final Vertx vertx = Vertx.vertx();
  private final Storage storage = new Storage();
  private Path directory;
  private ScratchDatabase database;
  private HazelcastInstance hazelcast;
  private DataProxy proxy;
  private FileUploads uploads;
  private HttpServer server;
  private String base;
  private final Map<String, Member> members = new java.util.HashMap<>();
  /** The grant of the consumer that owns the uploads the rows set up, and those of the others {@link #AS} names. */
  private String ownerGrant;
  private String otherGrant;
  private String smallGrant;

  @BeforeAll
  void start() throws Exception {
    directory = Files.createTempDirectory("huitong-files");
    database = ScratchDatabase.create("files", "files");
    Migrations.migrate(database.location(), "proxy");
    storage.open(vertx, database.location(), 4);
    // For the proxy's nonces and limits.
    hazelcast = LoneMember.start("files-it");
    Problems problems = new Problems(new SimpleMeterRegistry());
    proxy = DataProxy.start(vertx, storage, MASTER, hazelcast, ProxyConfig.from(HubConfiguration.load(null, Map.of())),
        ProxyDefinitions.empty(), new SimpleMeterRegistry(), problems, "files-it").await().atMost(LIMIT);
    Member first = member(MEMBER, config);
    uploads = first.uploads();
    server = first.server();
    base = first.base();
    members.put("typed", member("member-typed", new FilesConfig("", MAX_SIZE, Duration.ofHours(1), Duration.ofHours(1),
        true, LEASE, new FilesConfig.Access(false, Duration.ofHours(1), QUOTA, List.of("pdf", "ofd")))));
    members.put("open", member("member-open", new FilesConfig("", MAX_SIZE, Duration.ofHours(1), Duration.ofHours(1),
        true, LEASE, new FilesConfig.Access(true, Duration.ofHours(1), QUOTA, List.of()))));
    ownerGrant = grant(register("Provincial portal"));
    otherGrant = grant(register("County system"));
    String[] small = register("Township kiosk");
    uploads.setQuota(small[0], new JsonObject().put("quota", SMALL_QUOTA)).await().atMost(LIMIT);
    smallGrant = grant(small);
  }

  /** Another member serving the same database and upload directory. */
  private record Member(FileUploads uploads, HttpServer server, String base) implements AutoCloseable {
    @Override
    public void close() {
      uploads.close().await().atMost(LIMIT);
      server.closeAndAwait();
    }
  }

  private Member member(String name, FilesConfig memberConfig) {
    FileUploads served = FileUploads.start(vertx, storage, UploadStore.local(vertx, directory, MASTER, memberConfig.encrypt()),
        memberConfig, name, MASTER, proxy, OPERATOR).await().atMost(LIMIT);
    Problems problems = new Problems(new SimpleMeterRegistry());
    HttpServer listening = vertx.createHttpServer()
        .requestHandler(ApiRouter.create(vertx, problems, new Drain(problems), List.of(new FilesRoutes(() -> served)::mount)))
        .listenAndAwait(0, "127.0.0.1");
    return new Member(served, listening, "http://127.0.0.1:" + listening.actualPort());
  }

  @AfterAll
  void stop() throws Exception {
    members.values().forEach(Member::close);
    uploads.close().await().atMost(LIMIT);
    if (proxy != null) {
      proxy.close().await().atMost(LIMIT);
    }
    if (hazelcast != null) {
      hazelcast.shutdown();
    }
    storage.close().await().atMost(LIMIT);
    vertx.closeAndAwait();
    if (database != null) {
      database.close();
    }
    try (Stream<Path> files = Files.walk(directory)) {
      files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    }
  }

  /** The state an upload is brought to before a row's request. */
  enum Setup { FRESH, DEFERRED, EXPIRED, TERMINATED, PARTIAL, UNFINISHED_PARTIAL, FINAL }

  /** A row's request, given the path of the upload set up for it. */
  interface Request {
    HttpRequest.Builder on(String upload);
  }

  static Stream<Arguments> protocol() {
    String wrongSm3 = "sm3 " + Base64.getEncoder().encodeToString(new byte[32]);
    byte[] png = Arrays.copyOf(SampleFiles.image("png"), HELLO.length);
    byte[] pdf = Arrays.copyOf(SampleFiles.pdf(), HELLO.length);
    return Stream.of(
        row("OPTIONS without Tus-Resumable or a grant", Setup.FRESH, 204, u -> plain("OPTIONS", "/files/").header(AS, "none")),
        row("POST with Upload-Length", Setup.FRESH, 201, u -> tus("POST", "/files/").header("Upload-Length", "11")),
        row("POST with Upload-Defer-Length: 1", Setup.FRESH, 201, u -> tus("POST", "/files/").header("Upload-Defer-Length", "1")),
        row("POST of an empty upload", Setup.FRESH, 201, u -> tus("POST", "/files/").header("Upload-Length", "0")),
        row("POST with data (creation-with-upload)", Setup.FRESH, 201, u -> tus("POST", "/files/", HELLO)
            .header("Upload-Length", "11").header("Content-Type", OCTETS)),
        row("POST with Upload-Metadata", Setup.FRESH, 201, u -> tus("POST", "/files/").header("Upload-Length", "11")
            .header("Upload-Metadata", "filename d29ybGRfZG9taW5hdGlvbl9wbGFuLnBkZg==,is_confidential")),
        row("POST without a length", Setup.FRESH, 400, u -> tus("POST", "/files/")),
        row("POST with both lengths", Setup.FRESH, 400, u -> tus("POST", "/files/").header("Upload-Length", "11")
            .header("Upload-Defer-Length", "1")),
        row("POST with Upload-Defer-Length: 2", Setup.FRESH, 400, u -> tus("POST", "/files/").header("Upload-Defer-Length", "2")),
        row("POST with malformed Upload-Metadata", Setup.FRESH, 400, u -> tus("POST", "/files/").header("Upload-Length", "11")
            .header("Upload-Metadata", "name not!base64")),
        row("POST over Tus-Max-Size", Setup.FRESH, 413, u -> tus("POST", "/files/").header("Upload-Length", Long.toString(MAX_SIZE + 1))),
        row("POST over the consumer's quota", Setup.FRESH, 413, u -> tus("POST", "/files/")
            .header("Upload-Length", Long.toString(SMALL_QUOTA + 1)).header(AS, "small")),
        row("POST within the consumer's quota", Setup.FRESH, 201, u -> tus("POST", "/files/").header("Upload-Length", "0")
            .header(AS, "small")),
        row("POST without Tus-Resumable", Setup.FRESH, 412, u -> plain("POST", "/files/").header("Upload-Length", "11")),
        row("POST with Tus-Resumable 0.2.2", Setup.FRESH, 412, u -> plain("POST", "/files/").header("Upload-Length", "11")
            .header("Tus-Resumable", "0.2.2")),
        row("HEAD of an upload", Setup.FRESH, 200, u -> tus("HEAD", u)),
        row("HEAD of a deferred upload", Setup.DEFERRED, 200, u -> tus("HEAD", u)),
        row("HEAD of an unknown upload", Setup.FRESH, 404, u -> tus("HEAD", "/files/unknown")),
        row("HEAD of an expired upload", Setup.EXPIRED, 410, u -> tus("HEAD", u)),
        row("HEAD of a terminated upload", Setup.TERMINATED, 404, u -> tus("HEAD", u)),
        row("HEAD without Tus-Resumable", Setup.FRESH, 412, u -> plain("HEAD", u)),
        row("PATCH at the offset", Setup.FRESH, 204, u -> patch(u, 0, HELLO)),
        row("PATCH part of the upload", Setup.FRESH, 204, u -> patch(u, 0, "hello".getBytes(StandardCharsets.US_ASCII))),
        row("PATCH at another offset", Setup.FRESH, 409, u -> patch(u, 3, HELLO)),
        row("PATCH with Content-Type text/plain", Setup.FRESH, 415, u -> patch(u, 0, HELLO).setHeader("Content-Type", "text/plain")),
        row("PATCH without Upload-Offset", Setup.FRESH, 400, u -> tus("PATCH", u, HELLO).header("Content-Type", OCTETS)),
        row("PATCH of an unknown upload", Setup.FRESH, 404, u -> patch("/files/unknown", 0, HELLO)),
        row("PATCH of an expired upload", Setup.EXPIRED, 410, u -> patch(u, 0, HELLO)),
        row("PATCH of a terminated upload", Setup.TERMINATED, 404, u -> patch(u, 0, HELLO)),
        row("PATCH past Upload-Length", Setup.FRESH, 413, u -> patch(u, 0, "hello world!".getBytes(StandardCharsets.US_ASCII))),
        row("PATCH without Tus-Resumable", Setup.FRESH, 412, u -> plain("PATCH", u, HELLO).header("Content-Type", OCTETS)
            .header("Upload-Offset", "0")),
        row("PATCH with an sm3 checksum", Setup.FRESH, 204, u -> patch(u, 0, HELLO).header("Upload-Checksum", "sm3 " + sm3Base64(HELLO))),
        row("PATCH with a sha256 checksum", Setup.FRESH, 204, u -> patch(u, 0, HELLO)
            .header("Upload-Checksum", "sha256 uU0nuZNNPgilLlLX2n2r+sSE7+N6U4DukIj3rOLvzek=")),
        row("PATCH with the spec's sha1 checksum", Setup.FRESH, 204, u -> patch(u, 0, HELLO)
            .header("Upload-Checksum", "sha1 Kq5sNclPz7QV2+lfQIuc6R7oRu0=")),
        row("PATCH with a wrong checksum", Setup.FRESH, 460, u -> patch(u, 0, HELLO).header("Upload-Checksum", wrongSm3)),
        row("PATCH with an md5 checksum", Setup.FRESH, 400, u -> patch(u, 0, HELLO)
            .header("Upload-Checksum", "md5 XrY7u+Ae7tCTyyK7j1rNww==")),
        row("PATCH fixing a deferred length", Setup.DEFERRED, 204, u -> patch(u, 0, HELLO).header("Upload-Length", "11")),
        row("PATCH of a deferred upload without a length", Setup.DEFERRED, 204, u -> patch(u, 0, HELLO)),
        row("PATCH changing a known length", Setup.FRESH, 400, u -> patch(u, 0, HELLO).header("Upload-Length", "12")),
        row("DELETE of an upload", Setup.FRESH, 204, u -> tus("DELETE", u)),
        row("DELETE of an unknown upload", Setup.FRESH, 404, u -> tus("DELETE", "/files/unknown")),
        row("DELETE without Tus-Resumable", Setup.FRESH, 412, u -> plain("DELETE", u)),
        row("POST overridden to PATCH", Setup.FRESH, 204, u -> tus("POST", u, HELLO).header("X-HTTP-Method-Override", "PATCH")
            .header("Content-Type", OCTETS).header("Upload-Offset", "0")),
        row("POST overridden to DELETE", Setup.FRESH, 204, u -> tus("POST", u).header("X-HTTP-Method-Override", "DELETE")),
        row("POST overridden to HEAD", Setup.FRESH, 200, u -> tus("POST", u).header("X-HTTP-Method-Override", "HEAD")),
        row("POST on an upload without override", Setup.FRESH, 405, u -> tus("POST", u)),
        row("POST of a partial upload", Setup.FRESH, 201, u -> tus("POST", "/files/").header("Upload-Length", "11")
            .header("Upload-Concat", "partial")),
        row("POST with Upload-Concat neither partial nor final", Setup.FRESH, 400, u -> tus("POST", "/files/")
            .header("Upload-Length", "11").header("Upload-Concat", "whole")),
        row("POST of a final upload", Setup.PARTIAL, 201, u -> tus("POST", "/files/").header("Upload-Concat", "final;" + u + " " + u)),
        row("POST of a final upload by absolute URL", Setup.PARTIAL, 201, u -> tus("POST", "/files/")
            .header("Upload-Concat", "final;http://hub.example" + u)),
        row("POST of a final upload with Upload-Length", Setup.PARTIAL, 400, u -> tus("POST", "/files/")
            .header("Upload-Concat", "final;" + u).header("Upload-Length", "11")),
        row("POST of a final upload listing no upload", Setup.PARTIAL, 400, u -> tus("POST", "/files/").header("Upload-Concat", "final;")),
        row("POST of a final upload listing another URL", Setup.PARTIAL, 400, u -> tus("POST", "/files/")
            .header("Upload-Concat", "final;/elsewhere/" + id(u))),
        row("POST of a final upload of an unfinished partial", Setup.UNFINISHED_PARTIAL, 400, u -> tus("POST", "/files/")
            .header("Upload-Concat", "final;" + u)),
        row("POST of a final upload of an upload not partial", Setup.FRESH, 400, u -> tus("POST", "/files/")
            .header("Upload-Concat", "final;" + u)),
        row("POST of a final upload of an unknown upload", Setup.PARTIAL, 404, u -> tus("POST", "/files/")
            .header("Upload-Concat", "final;" + u + " /files/unknown")),
        row("POST of a final upload of an expired upload", Setup.EXPIRED, 410, u -> tus("POST", "/files/")
            .header("Upload-Concat", "final;" + u)),
        row("HEAD of a partial upload", Setup.PARTIAL, 200, u -> tus("HEAD", u)),
        row("HEAD of a final upload", Setup.FINAL, 200, u -> tus("HEAD", u)),
        row("PATCH of a partial upload", Setup.UNFINISHED_PARTIAL, 204, u -> patch(u, 0, HELLO)),
        row("PATCH of a final upload", Setup.FINAL, 403, u -> patch(u, 11, HELLO)),
        row("DELETE of a final upload", Setup.FINAL, 204, u -> tus("DELETE", u)),
        row("GET of a complete upload", Setup.PARTIAL, 200, u -> plain("GET", u)),
        row("GET of a byte range", Setup.PARTIAL, 206, u -> plain("GET", u).header("Range", "bytes=0-4")),
        row("GET of a range past the end", Setup.PARTIAL, 416, u -> plain("GET", u).header("Range", "bytes=11-")),
        row("GET of a range with a stale If-Range", Setup.PARTIAL, 200, u -> plain("GET", u).header("Range", "bytes=0-4")
            .header("If-Range", "\"0\"")),
        row("GET of an unfinished upload", Setup.FRESH, 409, u -> plain("GET", u)),
        row("GET of an unknown upload", Setup.FRESH, 404, u -> plain("GET", "/files/unknown")),
        row("GET of an expired upload", Setup.EXPIRED, 410, u -> plain("GET", u)),
        row("POST without a grant", Setup.FRESH, 401, u -> tus("POST", "/files/").header("Upload-Length", "11").header(AS, "none")),
        row("POST with Basic authorization", Setup.FRESH, 401, u -> tus("POST", "/files/").header("Upload-Length", "11")
            .header(AS, "Basic dXNlcjpwYXNz")),
        row("POST with a bearer token that is no grant", Setup.FRESH, 401, u -> tus("POST", "/files/").header("Upload-Length", "11")
            .header(AS, "Bearer eyJhbGciOiJub25lIn0.e30.")),
        row("POST with a forged grant", Setup.FRESH, 401, u -> tus("POST", "/files/").header("Upload-Length", "11")
            .header(AS, "forged")),
        row("HEAD without a grant", Setup.FRESH, 401, u -> tus("HEAD", u).header(AS, "none")),
        row("PATCH without a grant", Setup.FRESH, 401, u -> patch(u, 0, HELLO).header(AS, "none")),
        row("DELETE without a grant", Setup.FRESH, 401, u -> tus("DELETE", u).header(AS, "none")),
        row("GET without a grant", Setup.PARTIAL, 401, u -> plain("GET", u).header(AS, "none")),
        row("HEAD of another consumer's upload", Setup.FRESH, 404, u -> tus("HEAD", u).header(AS, "other")),
        row("PATCH of another consumer's upload", Setup.FRESH, 404, u -> patch(u, 0, HELLO).header(AS, "other")),
        row("DELETE of another consumer's upload", Setup.FRESH, 404, u -> tus("DELETE", u).header(AS, "other")),
        row("GET of another consumer's upload", Setup.PARTIAL, 404, u -> plain("GET", u).header(AS, "other")),
        row("POST of a final upload of another consumer's part", Setup.PARTIAL, 404, u -> tus("POST", "/files/")
            .header("Upload-Concat", "final;" + u).header(AS, "other")),
        row("HEAD of a consumer's upload with the operator token", Setup.FRESH, 200, u -> tus("HEAD", u).header(AS, "operator")),
        row("GET of a consumer's upload with the operator token", Setup.PARTIAL, 200, u -> plain("GET", u).header(AS, "operator")),
        row("PATCH of a PDF where pdf and ofd are allowed", Setup.FRESH, 204, u -> patch(u, 0, pdf).header(ON, "typed")),
        row("PATCH of a PNG where pdf and ofd are allowed", Setup.FRESH, 415, u -> patch(u, 0, png).header(ON, "typed")),
        row("POST with data of a PNG where pdf and ofd are allowed", Setup.FRESH, 415, u -> tus("POST", "/files/", png)
            .header("Upload-Length", "11").header("Content-Type", OCTETS).header(ON, "typed")),
        row("POST of a final upload of text where pdf and ofd are allowed", Setup.PARTIAL, 415, u -> tus("POST", "/files/")
            .header("Upload-Concat", "final;" + u).header(ON, "typed")));
  }

  @ParameterizedTest(name = "{0} -> {2}")
  @MethodSource("protocol")
  void answersAsTheSpecSays(String name, Setup setup, int status, Request request) throws Exception {
    String upload = switch (setup) {
      case DEFERRED -> create(null);
      case PARTIAL -> partial(HELLO);
      case UNFINISHED_PARTIAL -> partial(11, new byte[0]);
      case FINAL -> concatenate(partial(HELLO));
      default -> create(11L);
    };
    switch (setup) {
      case EXPIRED -> sql("UPDATE files.upload SET expires_at = now() - interval '1 minute' WHERE id = '" + id(upload) + "'");
      case TERMINATED -> assertEquals(204, send(tus("DELETE", upload)).statusCode());
      default -> { }
    }
    HttpResponse<String> response = send(request.on(upload));
    assertEquals(status, response.statusCode(), name + ": " + response.body());
    assertEquals("1.0.0", response.headers().firstValue("Tus-Resumable").orElse(null), name);
    if (status == 412 || name.startsWith("OPTIONS")) {
      assertEquals("1.0.0", response.headers().firstValue("Tus-Version").orElse(null));
    }
  }

  @Test
  void grantsGoToSignedConsumersOnlyAndRefusalsSayWhy() throws Exception {
    HttpResponse<String> unsigned = send(plain("POST", FilesRoutes.GRANTS).header(AS, "none"));
    assertEquals(401, unsigned.statusCode());
    assertEquals("HT-SIGNATURE-MISSING", new JsonObject(unsigned.body()).getString("code"));
    String[] disabled = register("Disabled system");
    proxy.updateConsumer(disabled[0], new JsonObject().put("disabled", true)).await().atMost(LIMIT);
    assertEquals(403, signedGrantRequest(disabled).statusCode());

    String[] portal = register("City portal");
    HttpResponse<String> granted = signedGrantRequest(portal);
    JsonObject grant = new JsonObject(granted.body());
    assertEquals("Bearer", grant.getString("tokenType"));
    assertEquals(portal[0], grant.getString("consumer"));
    java.time.Instant expires = java.time.Instant.parse(grant.getString("expiresAt"));
    assertTrue(expires.isAfter(java.time.Instant.now().plus(GRANTS.grantTtl()).minusSeconds(60)), "expires in files.grant-ttl");
    HttpResponse<String> created = send(tus("POST", "/files/").header("Upload-Length", "11")
        .header(AS, "Bearer " + grant.getString("token")));
    assertEquals(201, created.statusCode(), created.body());
    assertEquals(portal[0], sqlString("SELECT owner FROM files.upload WHERE id = '"
        + id(created.headers().firstValue("Location").orElseThrow()) + "'"), "the upload records its owner");

    HttpResponse<String> missing = send(tus("POST", "/files/").header("Upload-Length", "11").header(AS, "none"));
    assertEquals("HT-UPLOAD-GRANT-MISSING", new JsonObject(missing.body()).getString("code"));
    assertEquals(Problems.MEDIA_TYPE, missing.headers().firstValue("Content-Type").orElseThrow());
    assertEquals("Bearer realm=\"huitong-files\"", missing.headers().firstValue("WWW-Authenticate").orElseThrow());
    HttpResponse<String> forged = send(tus("HEAD", "/files/unknown").header(AS, "forged"));
    assertEquals(401, forged.statusCode(), "a forged grant is refused before the upload is looked at");
    assertEquals("HT-UPLOAD-GRANT-INVALID", new JsonObject(forged.body()).getString("code"));
    assertTrue(forged.headers().firstValue("WWW-Authenticate").orElseThrow().contains("error=\"invalid_token\""));
  }

  @Test
  void openAccessTakesNoGrantsAndUploadsBelongToNobody() throws Exception {
    String upload = created(send(tus("POST", "/files/").header("Upload-Length", "11").header(ON, "open").header(AS, "none")));
    assertEquals(null, sqlString("SELECT owner FROM files.upload WHERE id = '" + id(upload) + "'"));
    assertEquals(200, send(tus("HEAD", upload).header(ON, "open").header(AS, "other")).statusCode(), "a grant sent anyway is ignored");
    assertEquals(404, send(tus("HEAD", upload)).statusCode(), "with grants on, an upload of nobody is nobody's to use");
  }

  /**
   * The type is what the first bytes say, whatever the name: a PNG named scan.pdf is refused and its bytes cut off;
   * a head too short to tell waits for the next chunk; a final upload is judged by its parts' head.
   */
  @Test
  void theTypeIsToldByTheFirstBytesNotByTheName() throws Exception {
    byte[] png = SampleFiles.image("png");
    String named = "filename " + Base64.getEncoder().encodeToString("scan.pdf".getBytes(StandardCharsets.UTF_8));
    String scan = created(send(tus("POST", "/files/").header("Upload-Length", Integer.toString(png.length))
        .header("Upload-Metadata", named).header(ON, "typed")));
    HttpResponse<String> refused = send(patch(scan, 0, png).header(ON, "typed"));
    assertEquals(415, refused.statusCode());
    JsonObject problem = new JsonObject(refused.body());
    assertEquals("HT-UPLOAD-TYPE", problem.getString("code"));
    assertEquals("png", problem.getString("detectedType"));
    assertEquals("0", send(tus("HEAD", scan)).headers().firstValue("Upload-Offset").orElseThrow());
    assertEquals(0, stored(scan).length, "the refused chunk is cut off");

    // A large refused chunk is not written past its first bytes.
    byte[] large = Arrays.copyOf(png, 2 * 1024 * 1024);
    String big = created(send(tus("POST", "/files/").header("Upload-Length", Integer.toString(large.length)).header(ON, "typed")));
    assertEquals(415, send(patch(big, 0, large).header(ON, "typed")).statusCode());
    assertEquals(0, stored(big).length);

    byte[] pdf = SampleFiles.pdf();
    String document = created(send(tus("POST", "/files/").header("Upload-Length", Integer.toString(pdf.length)).header(ON, "typed")));
    assertEquals(204, send(patch(document, 0, Arrays.copyOf(pdf, 3)).header(ON, "typed")).statusCode(), "%PD: could be a PDF");
    assertEquals(204, send(patch(document, 3, Arrays.copyOfRange(pdf, 3, pdf.length)).header(ON, "typed")).statusCode());
    byte[] fake = "%PD is not how this file goes on".getBytes(StandardCharsets.US_ASCII);
    String text = created(send(tus("POST", "/files/").header("Upload-Length", Integer.toString(fake.length)).header(ON, "typed")));
    assertEquals(204, send(patch(text, 0, Arrays.copyOf(fake, 3)).header(ON, "typed")).statusCode());
    HttpResponse<String> lateRefusal = send(patch(text, 3, Arrays.copyOfRange(fake, 3, fake.length)).header(ON, "typed"));
    assertEquals(415, lateRefusal.statusCode(), "told once the stored head and the new bytes are read together");
    assertEquals("unknown", new JsonObject(lateRefusal.body()).getString("detectedType"));
    assertEquals("3", send(tus("HEAD", text)).headers().firstValue("Upload-Offset").orElseThrow());

    byte[] ofd = SampleFiles.ofd();
    String head = partial(Arrays.copyOf(ofd, 20));
    String rest = partial(Arrays.copyOfRange(ofd, 20, ofd.length));
    HttpResponse<String> whole = send(tus("POST", "/files/").header("Upload-Concat", "final;" + head + " " + rest).header(ON, "typed"));
    assertEquals(201, whole.statusCode(), "an OFD whose telling bytes span its parts: " + whole.body());
    byte[] docx = SampleFiles.docx();
    HttpResponse<String> word = send(tus("POST", "/files/").header("Upload-Concat", "final;" + partial(docx)).header(ON, "typed"));
    assertEquals(415, word.statusCode());
    assertEquals("docx", new JsonObject(word.body()).getString("detectedType"));
  }

  /**
   * A consumer's quota holds for creation, for a deferred length and for chunks of deferred uploads, counts live
   * uploads only, and holds for concurrent requests; the admin API shows and sets it.
   */
  @Test
  void aConsumersUploadsStayWithinItsQuota() throws Exception {
    String[] county = register("County archive");
    String as = "Bearer " + grant(county);
    String admin = "/api/v1/admin/files/consumers/" + county[0];
    JsonObject fresh = new JsonObject(send(plain("GET", admin)).body());
    assertEquals(county[0], fresh.getString("consumer"));
    assertEquals(QUOTA, fresh.getLong("quota"));
    assertEquals("default", fresh.getString("quotaSource"));
    assertEquals(0L, fresh.getLong("usage"));
    assertEquals(0L, fresh.getLong("uploads"));
    HttpResponse<String> set = send(plain("PUT", admin + "/quota", "{\"quota\": 100}".getBytes(StandardCharsets.UTF_8))
        .header("Content-Type", "application/json"));
    assertEquals(200, set.statusCode(), set.body());
    assertEquals("consumer", new JsonObject(set.body()).getString("quotaSource"));

    String sixty = created(send(tus("POST", "/files/").header("Upload-Length", "60").header(AS, as)));
    HttpResponse<String> over = send(tus("POST", "/files/").header("Upload-Length", "50").header(AS, as));
    assertEquals(413, over.statusCode());
    JsonObject problem = new JsonObject(over.body());
    assertEquals("HT-UPLOAD-QUOTA", problem.getString("code"));
    assertEquals(100L, problem.getLong("quota"));
    assertEquals(60L, problem.getLong("usage"));
    assertEquals(50L, problem.getLong("requested"));

    String deferred = created(send(tus("POST", "/files/").header("Upload-Defer-Length", "1").header(AS, as)));
    HttpResponse<String> fixedOver = send(patch(deferred, 0, new byte[0]).header("Upload-Length", "41").header(AS, as));
    assertEquals(413, fixedOver.statusCode());
    assertEquals("HT-UPLOAD-QUOTA", new JsonObject(fixedOver.body()).getString("code"));
    assertEquals(204, send(patch(deferred, 0, new byte[30]).header("Upload-Length", "40").header(AS, as)).statusCode());
    String unsized = created(send(tus("POST", "/files/").header("Upload-Defer-Length", "1").header(AS, as)));
    HttpResponse<String> chunkOver = send(patch(unsized, 0, new byte[1]).header(AS, as));
    assertEquals(413, chunkOver.statusCode(), "a chunk of a deferred upload past what the quota leaves");
    assertEquals("HT-UPLOAD-QUOTA", new JsonObject(chunkOver.body()).getString("code"));
    assertEquals(100L, new JsonObject(send(plain("GET", admin)).body()).getLong("usage"));

    // An upload that expired unfinished no longer counts, nor one deleted: 60 bytes free, asked for by 8 at once.
    sql("UPDATE files.upload SET expires_at = now() - interval '1 minute' WHERE id = '" + id(sixty) + "'");
    List<java.util.concurrent.CompletableFuture<HttpResponse<String>>> racing = new java.util.ArrayList<>();
    for (int i = 0; i < 8; i++) {
      racing.add(http.sendAsync(sendable(base, tus("POST", "/files/").header("Upload-Length", "10").header(AS, as)),
          BodyHandlers.ofString()));
    }
    long createdCount = 0;
    for (var response : racing) {
      int status = response.get().statusCode();
      assertTrue(status == 201 || status == 413, "status " + status);
      createdCount += status == 201 ? 1 : 0;
    }
    assertEquals(6, createdCount, "the quota holds for concurrent creations");
    JsonObject full = new JsonObject(send(plain("GET", admin)).body());
    assertEquals(100L, full.getLong("usage"));
    assertEquals(8L, full.getLong("uploads"));

    assertEquals(QUOTA, new JsonObject(send(plain("DELETE", admin + "/quota")).body()).getLong("quota"));
    HttpResponse<String> notASize = send(plain("PUT", admin + "/quota", "{\"quota\": \"lots\"}".getBytes(StandardCharsets.UTF_8))
        .header("Content-Type", "application/json"));
    assertEquals(400, notASize.statusCode());
    HttpResponse<String> unknown = send(plain("GET", "/api/v1/admin/files/consumers/ak-nobody"));
    assertEquals(404, unknown.statusCode());
    assertEquals("HT-CONSUMER-NOT-FOUND", new JsonObject(unknown.body()).getString("code"));
  }

  /** The Location of a 201. */
  private static String created(HttpResponse<String> response) {
    assertEquals(201, response.statusCode(), response.body());
    return response.headers().firstValue("Location").orElseThrow();
  }

  @Test
  void optionsAnnounceTheExtensionsAndLimits() throws Exception {
    HttpResponse<String> response = send(plain("OPTIONS", "/files/"));
    assertEquals("creation,creation-with-upload,creation-defer-length,expiration,checksum,termination,concatenation",
        response.headers().firstValue("Tus-Extension").orElseThrow());
    assertEquals(Long.toString(MAX_SIZE), response.headers().firstValue("Tus-Max-Size").orElseThrow());
    assertEquals("sm3,sha256,sha1", response.headers().firstValue("Tus-Checksum-Algorithm").orElseThrow());
  }

  @Test
  void threeChunksMakeTheFileWhoseSm3IsRecorded() throws Exception {
    byte[] data = random(3 * 1024 * 1024 + 17);
    String upload = create((long) data.length);
    int[] cuts = {0, 1024 * 1024, 2 * 1024 * 1024 + 5, data.length};
    for (int i = 0; i < 3; i++) {
      HttpResponse<String> response = send(patch(upload, cuts[i], Arrays.copyOfRange(data, cuts[i], cuts[i + 1])));
      assertEquals(204, response.statusCode(), response.body());
      assertEquals(Long.toString(cuts[i + 1]), response.headers().firstValue("Upload-Offset").orElseThrow());
    }
    HttpResponse<String> head = send(tus("HEAD", upload));
    assertEquals(Long.toString(data.length), head.headers().firstValue("Upload-Offset").orElseThrow());
    assertEquals(Long.toString(data.length), head.headers().firstValue("Upload-Length").orElseThrow());
    assertEquals("no-store", head.headers().firstValue("Cache-Control").orElseThrow());
    assertFalse(head.headers().firstValue("Upload-Expires").isPresent(), "a complete upload does not expire");
    assertArrayEquals(data, stored(upload));
    assertArrayEquals(sm3(data), recordedSm3(upload));
  }

  @Test
  void fourPartialUploadsConcatenateToTheOriginalFile() throws Exception {
    byte[] data = random(3 * 1024 * 1024 + 17);
    int[] cuts = {0, 1024 * 1024 + 3, 1024 * 1024 + 4, 2 * 1024 * 1024 + 5, data.length};
    String[] parts = new String[4];
    for (int i = 0; i < 4; i++) {
      parts[i] = partial(Arrays.copyOfRange(data, cuts[i], cuts[i + 1]));
    }
    HttpResponse<String> partHead = send(tus("HEAD", parts[1]));
    assertEquals("partial", partHead.headers().firstValue("Upload-Concat").orElseThrow());
    assertEquals("1", partHead.headers().firstValue("Upload-Offset").orElseThrow());
    // The spec allows absolute and relative URLs; the partial uploads' metadata is not carried over.
    String upload = concatenate(parts[0], base + parts[1], parts[2], parts[3]);
    HttpResponse<String> head = send(tus("HEAD", upload));
    assertEquals("final;" + String.join(" ", parts), head.headers().firstValue("Upload-Concat").orElseThrow());
    assertEquals(Long.toString(data.length), head.headers().firstValue("Upload-Offset").orElseThrow());
    assertEquals(Long.toString(data.length), head.headers().firstValue("Upload-Length").orElseThrow());
    assertFalse(head.headers().firstValue("Upload-Expires").isPresent(), "a final upload is complete once created");
    assertArrayEquals(data, stored(upload));
    assertArrayEquals(sm3(data), recordedSm3(upload));
    assertArrayEquals(data, download(plain("GET", upload)).body(), "downloaded whole, in many buffers");
    assertArrayEquals(Arrays.copyOfRange(data, 1000, 2_500_001),
        download(plain("GET", upload).header("Range", "bytes=1000-2500000")).body());
    assertEquals(403, send(patch(upload, data.length, HELLO)).statusCode());
    assertEquals(data.length, stored(upload).length, "a refused PATCH changes nothing");
  }

  @Test
  void aCompleteUploadDownloadsWholeOrByRangeWithItsSm3AsETag() throws Exception {
    String upload = concatenate(partial(HELLO));
    HttpResponse<String> whole = send(plain("GET", upload));
    assertEquals("hello world", whole.body());
    String etag = "\"" + java.util.HexFormat.of().formatHex(sm3(HELLO)) + "\"";
    assertEquals(etag, whole.headers().firstValue("ETag").orElseThrow());
    assertEquals("bytes", whole.headers().firstValue("Accept-Ranges").orElseThrow());
    HttpResponse<String> resumed = send(plain("GET", upload).header("Range", "bytes=6-").header("If-Range", etag));
    assertEquals(206, resumed.statusCode());
    assertEquals("world", resumed.body());
    assertEquals("bytes 6-10/11", resumed.headers().firstValue("Content-Range").orElseThrow());
    HttpResponse<String> suffix = send(plain("GET", upload).header("Range", "bytes=-3"));
    assertEquals("rld", suffix.body());
    assertEquals("hello", send(plain("GET", upload).header("Range", "bytes=0-4")).body());
    assertEquals("hello world", send(plain("GET", upload).header("Range", "bytes=0-1,4-5")).body(), "several ranges: all");
    HttpResponse<String> beyond = send(plain("GET", upload).header("Range", "bytes=20-30"));
    assertEquals(416, beyond.statusCode());
    assertEquals("bytes */11", beyond.headers().firstValue("Content-Range").orElseThrow());
  }

  @Test
  void aChecksumMismatchLeavesTheOffsetAndTheFileUnchanged() throws Exception {
    String upload = create(11L);
    assertEquals(204, send(patch(upload, 0, "hello".getBytes(StandardCharsets.US_ASCII))).statusCode());
    byte[] rest = " world".getBytes(StandardCharsets.US_ASCII);
    HttpResponse<String> refused = send(patch(upload, 5, rest).header("Upload-Checksum", "sha1 Kq5sNclPz7QV2+lfQIuc6R7oRu0="));
    assertEquals(460, refused.statusCode());
    assertEquals("5", send(tus("HEAD", upload)).headers().firstValue("Upload-Offset").orElseThrow());
    assertEquals(5, stored(upload).length);
    HttpResponse<String> accepted = send(patch(upload, 5, rest).header("Upload-Checksum", "sm3 " + sm3Base64(rest)));
    assertEquals(204, accepted.statusCode());
    assertArrayEquals(sm3(HELLO), recordedSm3(upload));
  }

  @Test
  void expect100ContinueIsAnsweredAndAnEarlyRefusalSendsNoBody() throws Exception {
    String upload = create(11L);
    try (Socket socket = new Socket("127.0.0.1", server.actualPort())) {
      socket.getOutputStream().write(patchHead(upload, 7, HELLO.length, "Expect: 100-continue\r\n"));
      assertTrue(lines(socket).readLine().startsWith("HTTP/1.1 409"), "refused before the body is sent");
    }
    try (Socket socket = new Socket("127.0.0.1", server.actualPort())) {
      java.io.BufferedReader in = lines(socket);
      socket.getOutputStream().write(patchHead(upload, 0, HELLO.length, "Expect: 100-continue\r\n"));
      assertTrue(in.readLine().startsWith("HTTP/1.1 100"), "the body is asked for");
      assertEquals("", in.readLine());
      socket.getOutputStream().write(HELLO);
      assertTrue(in.readLine().startsWith("HTTP/1.1 204"));
    }
    assertEquals("11", send(tus("HEAD", upload)).headers().firstValue("Upload-Offset").orElseThrow());
  }

  @Test
  void aSecondRequestIsRefusedWhileTheFirstWritesTheUpload() throws Exception {
    String upload = create(11L);
    try (Socket first = new Socket("127.0.0.1", server.actualPort())) {
      java.io.BufferedReader in = lines(first);
      first.getOutputStream().write(patchHead(upload, 0, HELLO.length, "Expect: 100-continue\r\n"));
      // The body is asked for once the upload is held.
      assertTrue(in.readLine().startsWith("HTTP/1.1 100"));
      assertEquals("", in.readLine());
      first.getOutputStream().write(HELLO, 0, 5);
      assertEquals(423, send(patch(upload, 0, HELLO)).statusCode());
      assertEquals(423, send(tus("DELETE", upload)).statusCode());
      first.getOutputStream().write(HELLO, 5, HELLO.length - 5);
      assertTrue(in.readLine().startsWith("HTTP/1.1 204"));
    }
    assertEquals("11", send(tus("HEAD", upload)).headers().firstValue("Upload-Offset").orElseThrow());
  }

  /**
   * Two members share the database and the directory: while one writes an upload the other refuses to (423), and
   * once it lets go the other continues the upload, and its SM3, where the first stopped.
   */
  @Test
  void anUploadWrittenOnOneMemberIsRefusedOnTheOtherThenResumedThere() throws Exception {
    byte[] data = random(2 * 1024 * 1024 + 9);
    String upload = create((long) data.length);
    try (Member other = member("member-b", config)) {
      try (Socket first = new Socket("127.0.0.1", server.actualPort())) {
        java.io.BufferedReader in = lines(first);
        first.getOutputStream().write(patchHead(upload, 0, 1024 * 1024, "Expect: 100-continue\r\n"));
        assertTrue(in.readLine().startsWith("HTTP/1.1 100"));
        assertEquals("", in.readLine());
        first.getOutputStream().write(data, 0, 1000);
        assertEquals(423, send(other.base(), patch(upload, 0, data)).statusCode());
        assertEquals(423, send(other.base(), tus("DELETE", upload)).statusCode());
        assertEquals(200, send(other.base(), tus("HEAD", upload)).statusCode(), "reading needs no lease");
        first.getOutputStream().write(data, 1000, 1024 * 1024 - 1000);
        assertTrue(in.readLine().startsWith("HTTP/1.1 204"));
      }
      HttpResponse<String> rest = send(other.base(), patch(upload, 1024 * 1024, Arrays.copyOfRange(data, 1024 * 1024, data.length)));
      assertEquals(204, rest.statusCode(), rest.body());
      assertArrayEquals(sm3(data), recordedSm3(upload), "the digest went on from the state the first member saved");
      assertArrayEquals(data, stored(upload));
    }
  }

  /**
   * A lease of a member that died is honoured until it runs out, then taken over; a member that starts again lets go
   * of what it held at once.
   */
  @Test
  void theLeasesOfAMemberThatDiedRunOutOrAreGivenBackWhenItStartsAgain() throws Exception {
    String upload = create(11L);
    sql("UPDATE files.upload SET held_by = 'member-gone 1', held_until = now() + interval '1 hour' WHERE id = '" + id(upload) + "'");
    assertEquals(423, send(patch(upload, 0, HELLO)).statusCode());
    sql("UPDATE files.upload SET held_until = now() - interval '1 second' WHERE id = '" + id(upload) + "'");
    assertEquals(204, send(patch(upload, 0, "hello".getBytes(StandardCharsets.US_ASCII))).statusCode(), "taken over");

    sql("UPDATE files.upload SET held_by = 'member-gone 2', held_until = now() + interval '1 hour' WHERE id = '" + id(upload) + "'");
    assertEquals(423, send(patch(upload, 5, " world".getBytes(StandardCharsets.US_ASCII))).statusCode());
    try (Member restarted = member("member-gone", config)) {
      HttpResponse<String> rest = send(restarted.base(), patch(upload, 5, " world".getBytes(StandardCharsets.US_ASCII)));
      assertEquals(204, rest.statusCode(), rest.body());
    }
    assertArrayEquals(sm3(HELLO), recordedSm3(upload));
  }

  @Test
  void thePartsOfAFinalUploadAreHeldWhileItIsBuilt() throws Exception {
    String first = partial("hello ".getBytes(StandardCharsets.US_ASCII));
    String second = partial("world".getBytes(StandardCharsets.US_ASCII));
    sql("UPDATE files.upload SET held_by = 'member-gone 3', held_until = now() + interval '1 hour' WHERE id = '" + id(second) + "'");
    HttpResponse<String> refused = send(tus("POST", "/files/").header("Upload-Concat", "final;" + first + " " + second));
    assertEquals(423, refused.statusCode(), refused.body());
    assertEquals(204, send(tus("DELETE", first)).statusCode(), "the first part was let go again");
    sql("UPDATE files.upload SET held_by = NULL, held_until = NULL WHERE id = '" + id(second) + "'");
    String again = partial("hello ".getBytes(StandardCharsets.US_ASCII));
    String upload = concatenate(again, second, second);
    assertEquals("hello worldworld", send(plain("GET", upload)).body(), "a part may be listed twice");
  }

  /**
   * New files are sealed with SM4-CTR: the plaintext is nowhere in the file, and OpenSSL decrypts it with the key and
   * counter block docs/files.md derives. A member that does not seal writes plain files and still reads sealed ones.
   */
  @Test
  void filesAreSealedWithSm4AndOpenSslOpensThem() throws Exception {
    byte[] data = ("国家政务服务平台 " + "materials ".repeat(5000)).getBytes(StandardCharsets.UTF_8);
    String sealed = create((long) data.length);
    assertEquals(204, send(patch(sealed, 0, data)).statusCode());
    byte[] file = Files.readAllBytes(directory.resolve(id(sealed)));
    assertEquals(1, file[8], "SM4-CTR");
    assertFalse(new String(file, StandardCharsets.UTF_8).contains("materials"), "no plaintext at rest");

    Path body = directory.resolve("sealed.body");
    Path clear = directory.resolve("sealed.clear");
    Files.write(body, Arrays.copyOfRange(file, 16, file.length));
    java.util.HexFormat hex = java.util.HexFormat.of();
    byte[] keyAndIv = keyAndIv(id(sealed));
    Process openssl = new ProcessBuilder("openssl", "enc", "-d", "-sm4-ctr", "-K", hex.formatHex(keyAndIv, 0, 16),
        "-iv", hex.formatHex(keyAndIv, 16, 32), "-in", body.toString(), "-out", clear.toString())
        .redirectErrorStream(true).start();
    String output = new String(openssl.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertEquals(0, openssl.waitFor(), output);
    assertArrayEquals(data, Files.readAllBytes(clear));

    FilesConfig unsealed = new FilesConfig("", MAX_SIZE, Duration.ofHours(1), Duration.ofHours(1), false, LEASE, GRANTS);
    try (Member notSealing = member("member-plain", unsealed)) {
      HttpResponse<String> created = send(notSealing.base(), tus("POST", "/files/", HELLO)
          .header("Upload-Length", "11").header("Content-Type", OCTETS));
      assertEquals(201, created.statusCode(), created.body());
      String written = created.headers().firstValue("Location").orElseThrow();
      assertEquals(0, Files.readAllBytes(directory.resolve(id(written)))[8], "plain");
      assertArrayEquals(HELLO, stored(written));
      assertEquals(new String(data, StandardCharsets.UTF_8), send(notSealing.base(), plain("GET", sealed)).body());
      assertEquals("hello world", send(plain("GET", written)).body(), "a sealing member reads plain files");
    } finally {
      Files.deleteIfExists(body);
      Files.deleteIfExists(clear);
    }
  }

  /** The socket's answer, line by line; a read waits at most 10 s. */
  private static java.io.BufferedReader lines(Socket socket) throws java.io.IOException {
    socket.setSoTimeout(10_000);
    return new java.io.BufferedReader(new java.io.InputStreamReader(socket.getInputStream(), StandardCharsets.US_ASCII));
  }

  /** The head of a PATCH with the owner's grant, to write on a socket. */
  private byte[] patchHead(String path, long offset, long length, String extra) {
    return ("PATCH " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nTus-Resumable: 1.0.0\r\nAuthorization: Bearer " + ownerGrant
        + "\r\nContent-Type: " + OCTETS
        + "\r\nUpload-Offset: " + offset + "\r\nContent-Length: " + length + "\r\n" + extra + "\r\n")
        .getBytes(StandardCharsets.US_ASCII);
  }

  @Test
  void theSweepDeletesExpiredUnfinishedUploadsAndFilesNoUploadOwns() throws Exception {
    String expired = create(11L);
    String live = create(11L);
    assertEquals(204, send(patch(expired, 0, "hello".getBytes(StandardCharsets.US_ASCII))).statusCode());
    sql("UPDATE files.upload SET expires_at = now() - interval '1 minute' WHERE id = '" + id(expired) + "'");
    // What a crash between deleting an upload's row and its file leaves behind, and a file that is not the hub's.
    Path orphan = Files.write(directory.resolve("0123456789abcdef0123456789abcdef"), new byte[] {1, 2, 3});
    Path foreign = Files.write(directory.resolve("README.txt"), new byte[] {4});
    FileUploads sweeping = FileUploads.start(vertx, storage, UploadStore.local(vertx, directory, MASTER, true),
        new FilesConfig("", MAX_SIZE, Duration.ofHours(1), Duration.ofMillis(100), true, LEASE, GRANTS), "sweeper", MASTER, proxy, OPERATOR)
        .await().atMost(LIMIT);
    try {
      Eventually.holds("the expired upload's file swept", LIMIT,
          () -> !Files.exists(directory.resolve(id(expired))));
      assertFalse(Files.exists(directory.resolve(id(expired))), "the expired upload's file is deleted");
      assertEquals(404, send(tus("HEAD", expired)).statusCode());
      assertEquals(200, send(tus("HEAD", live)).statusCode());
      assertTrue(Files.exists(directory.resolve(id(live))));
      Eventually.holds("the orphaned file swept", LIMIT, () -> !Files.exists(orphan));
      assertTrue(Files.exists(foreign), "only upload-named files are the sweep's");
    } finally {
      sweeping.close().await().atMost(LIMIT);
    }
  }

  /**
   * tus-java-client (POST with X-HTTP-Method-Override, chunked bodies, Expect: 100-continue) uploads 8 MiB of a
   * 20 MiB file and stops; a PATCH is then cut mid-body; a new client resumes from what the hub kept of it.
   */
  @Test
  void tusJavaClientResumesAnInterruptedUpload() throws Exception {
    byte[] data = random(20 * 1024 * 1024);
    Path file = directory.resolve("original.bin");
    Files.write(file, data);
    TusURLMemoryStore urls = new TusURLMemoryStore();
    TusClient first = client(urls);
    TusUpload upload = new TusUpload(file.toFile());
    TusUploader uploader = first.createUpload(upload);
    uploader.setChunkSize(1024 * 1024);
    uploader.setRequestPayloadSize(4 * 1024 * 1024);
    while (uploader.getOffset() < 8 * 1024 * 1024) {
      uploader.uploadChunk();
    }
    uploader.finish();
    String path = uploader.getUploadURL().getPath();
    assertEquals("8388608", send(tus("HEAD", path)).headers().firstValue("Upload-Offset").orElseThrow());

    int cut = 3 * 1024 * 1024;
    try (Socket socket = new Socket("127.0.0.1", server.actualPort())) {
      OutputStream out = socket.getOutputStream();
      out.write(patchHead(path, 8 * 1024 * 1024, 6 * 1024 * 1024, ""));
      out.write(data, 8 * 1024 * 1024, cut);
      out.flush();
    }
    // Once the cut PATCH lets go of the upload, an empty chunk at its offset is accepted and changes nothing.
    long[] kept = {0};
    Eventually.holds("an empty PATCH at the kept offset accepted", LIMIT, () -> {
      kept[0] = Long.parseLong(send(tus("HEAD", path)).headers().firstValue("Upload-Offset").orElseThrow());
      return send(patch(path, kept[0], new byte[0])).statusCode() == 204;
    });
    assertTrue(kept[0] >= 8 * 1024 * 1024 && kept[0] <= 8 * 1024 * 1024 + cut, "kept " + kept[0]);

    TusUploader resumed = client(urls).resumeUpload(new TusUpload(file.toFile()));
    assertEquals(kept[0], resumed.getOffset());
    while (resumed.uploadChunk() > -1) {
      assertTrue(resumed.getOffset() <= data.length);
    }
    resumed.finish();
    assertArrayEquals(data, stored(path));
    assertArrayEquals(sm3(data), recordedSm3(path));
  }

  private TusClient client(TusURLMemoryStore urls) throws Exception {
    TusClient client = new TusClient();
    client.setUploadCreationURL(new URL(base + "/files/"));
    client.setHeaders(Map.of("Authorization", "Bearer " + ownerGrant));
    client.enableResuming(urls);
    return client;
  }

  private static Arguments row(String name, Setup setup, int status, Request request) {
    return Arguments.of(name, setup, status, request);
  }

  /** Creates an upload of {@code length} bytes, or of a deferred length, and returns its path. */
  private String create(Long length) throws Exception {
    HttpRequest.Builder post = tus("POST", "/files/");
    post = length == null ? post.header("Upload-Defer-Length", "1") : post.header("Upload-Length", length.toString());
    HttpResponse<String> created = send(post);
    assertEquals(201, created.statusCode(), created.body());
    return created.headers().firstValue("Location").orElseThrow();
  }

  /** Creates a partial upload of {@code data} and returns its path. */
  private String partial(byte[] data) throws Exception {
    return partial(data.length, data);
  }

  /** Creates a partial upload of {@code length} bytes, writes {@code data} to it and returns its path. */
  private String partial(long length, byte[] data) throws Exception {
    HttpResponse<String> created = send(tus("POST", "/files/").header("Upload-Length", Long.toString(length))
        .header("Upload-Concat", "partial"));
    assertEquals(201, created.statusCode(), created.body());
    String upload = created.headers().firstValue("Location").orElseThrow();
    if (data.length > 0) {
      HttpResponse<String> written = send(patch(upload, 0, data));
      assertEquals(204, written.statusCode(), written.body());
    }
    return upload;
  }

  /** Creates the final upload of {@code parts} and returns its path. */
  private String concatenate(String... parts) throws Exception {
    HttpResponse<String> created = send(tus("POST", "/files/").header("Upload-Concat", "final;" + String.join(" ", parts)));
    assertEquals(201, created.statusCode(), created.body());
    return created.headers().firstValue("Location").orElseThrow();
  }

  private static HttpRequest.Builder plain(String method, String path) {
    return plain(method, path, null);
  }

  private static HttpRequest.Builder plain(String method, String path, byte[] body) {
    // The host is filled in by send(): rows are declared before the server listens.
    return HttpRequest.newBuilder(URI.create("http://hub" + path)).timeout(Duration.ofSeconds(30))
        .method(method, body == null ? BodyPublishers.noBody() : BodyPublishers.ofByteArray(body));
  }

  private static HttpRequest.Builder tus(String method, String path) {
    return tus(method, path, null);
  }

  private static HttpRequest.Builder tus(String method, String path, byte[] body) {
    return plain(method, path, body).header("Tus-Resumable", "1.0.0");
  }

  private static HttpRequest.Builder patch(String path, long offset, byte[] body) {
    return tus("PATCH", path, body).header("Content-Type", OCTETS).header("Upload-Offset", Long.toString(offset));
  }

  private HttpResponse<String> send(HttpRequest.Builder request) throws Exception {
    return send(base, request);
  }

  /** Sends the request to the member at {@code to}, unless its {@link #ON} header names another. */
  private HttpResponse<String> send(String to, HttpRequest.Builder request) throws Exception {
    return http.send(sendable(to, request), BodyHandlers.ofString());
  }

  /**
   * The request against the member at {@code to} (or the one {@link #ON} names), with the Authorization its
   * {@link #AS} header asks for (the owner's grant by default).
   */
  private HttpRequest sendable(String to, HttpRequest.Builder request) {
    HttpRequest built = request.build();
    String on = built.headers().firstValue(ON).map(name -> members.get(name).base()).orElse(to);
    HttpRequest.Builder absolute = HttpRequest.newBuilder(built, (n, v) -> !n.equalsIgnoreCase(AS) && !n.equalsIgnoreCase(ON))
        .uri(URI.create(on + built.uri().getRawPath()));
    String as = built.headers().firstValue(AS).orElse("owner");
    String authorization = switch (as) {
      case "owner" -> "Bearer " + ownerGrant;
      case "other" -> "Bearer " + otherGrant;
      case "small" -> "Bearer " + smallGrant;
      case "forged" -> "Bearer " + forged(ownerGrant);
      case "operator" -> "Bearer " + OPERATOR.reveal();
      case "none" -> null;
      default -> as;
    };
    return authorization == null ? absolute.build() : absolute.header("Authorization", authorization).build();
  }

  /** The grant with one character of its MAC changed. */
  private static String forged(String grant) {
    int at = grant.lastIndexOf('.') + 5;
    return grant.substring(0, at) + (grant.charAt(at) == 'A' ? 'B' : 'A') + grant.substring(at + 1);
  }

  /** Registers a consumer with the proxy; its app key and secret. */
  private String[] register(String name) {
    JsonObject created = proxy.createConsumer(new JsonObject().put("name", name)).await().atMost(LIMIT);
    return new String[] {created.getString("appKey"), created.getString("appSecret")};
  }

  /** An upload grant, asked for with a request signed by the consumer's app key and secret. */
  private String grant(String[] consumer) throws Exception {
    HttpResponse<String> granted = signedGrantRequest(consumer);
    assertEquals(200, granted.statusCode(), granted.body());
    return new JsonObject(granted.body()).getString("token");
  }

  private HttpResponse<String> signedGrantRequest(String[] consumer) throws Exception {
    HttpRequest.Builder post = plain("POST", FilesRoutes.GRANTS).header(AS, "none");
    ConsumerSignature.headers(consumer[0], consumer[1], "POST", FilesRoutes.GRANTS, new byte[0]).forEach(post::header);
    return send(post);
  }

  private HttpResponse<byte[]> download(HttpRequest.Builder request) throws Exception {
    HttpResponse<byte[]> response = http.send(sendable(base, request), BodyHandlers.ofByteArray());
    assertTrue(response.statusCode() == 200 || response.statusCode() == 206, "status " + response.statusCode());
    return response;
  }

  /**
   * The upload's bytes as its file keeps them, opened the way docs/files.md describes: a 16-byte header, then the
   * bytes, SM4-CTR encrypted under HMAC-SM3(master-derived files key, "upload/" + id) when the header says so.
   */
  private byte[] stored(String upload) throws Exception {
    byte[] file = Files.readAllBytes(directory.resolve(id(upload)));
    assertArrayEquals("HUITONG1".getBytes(StandardCharsets.US_ASCII), Arrays.copyOf(file, 8), "the store header");
    byte[] body = Arrays.copyOfRange(file, 16, file.length);
    if (file[8] == 1) {
      byte[] keyAndIv = keyAndIv(id(upload));
      new Sm4Ctr(Arrays.copyOf(keyAndIv, 16), Arrays.copyOfRange(keyAndIv, 16, 32)).apply(0, body, 0, body.length);
    } else {
      assertEquals(0, file[8], "plain or SM4-CTR");
    }
    return body;
  }

  private static byte[] keyAndIv(String id) {
    return Sm3.hmac(MASTER.derive("files/at-rest"), ("upload/" + id).getBytes(StandardCharsets.UTF_8));
  }

  private static String id(String path) {
    return path.substring(path.lastIndexOf('/') + 1);
  }

  private byte[] recordedSm3(String upload) throws Exception {
    try (Connection c = database.connect();
         Statement s = c.createStatement();
         ResultSet rows = s.executeQuery("SELECT sm3 FROM files.upload WHERE id = '" + id(upload) + "'")) {
      assertTrue(rows.next());
      return rows.getBytes(1);
    }
  }

  private String sqlString(String query) throws Exception {
    try (Connection c = database.connect(); Statement s = c.createStatement(); ResultSet rows = s.executeQuery(query)) {
      assertTrue(rows.next());
      return rows.getString(1);
    }
  }

  private void sql(String statement) throws Exception {
    try (Connection c = database.connect(); Statement s = c.createStatement()) {
      s.execute(statement);
    }
  }

  private static byte[] random(int length) {
    byte[] data = new byte[length];
    new Random(length).nextBytes(data);
    return data;
  }

  private static byte[] sm3(byte[] data) {
    SM3Digest digest = new SM3Digest();
    digest.update(data, 0, data.length);
    byte[] out = new byte[32];
    digest.doFinal(out, 0);
    return out;
  }

  private static String sm3Base64(byte[] data) {
    return Base64.getEncoder().encodeToString(sm3(data));
  }
}
