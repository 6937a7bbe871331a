package io.huitong.hub.files;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.huitong.config.Secret;
import io.huitong.crypto.Sm3;
import io.huitong.hub.Eventually;
import io.huitong.hub.config.HubConfiguration;
import io.huitong.hub.http.ApiRouter;
import io.huitong.hub.http.Drain;
import io.huitong.hub.http.Problems;
import io.huitong.hub.ops.AdminRoutes;
import io.huitong.hub.ops.AuditLog;
import io.huitong.hub.signing.MasterKey;
import io.huitong.hub.signing.Signing;
import io.huitong.hub.signing.SigningConfig;
import io.huitong.hub.storage.Migrations;
import io.huitong.hub.storage.ScratchDatabase;
import io.huitong.hub.storage.Storage;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.core.http.HttpServer;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.net.URI;
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
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Electronic materials and their bulk export over real parts: the machine's PostgreSQL (a fresh database with the
 * files, signing and ops schemas), the signing capability with its CA, the local upload store in a temporary
 * directory, and the tus server and admin API (operator token and all) on a real socket.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class MaterialsIT {
  private static final Duration LIMIT = Duration.ofSeconds(60);
  private static final String TOKEN = "materials-it-" + "x".repeat(32);
  private static final String MEMBER = "materials-it";
  private static final String API = "/api/v1/admin";
  private static final String CODE = "1.2.156.3005.2.11100000000013338W011.11430000006122244L.20230000403.001.U";
  private static final String HOLDER = "11010519491231002X";

  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private final Vertx vertx = Vertx.vertx();
  private final Storage storage = new Storage();
  private final Random random = new Random(7);
  private FilesConfig config;
  private Path directory;
  private ScratchDatabase database;
  private UploadStore store;
  private Signing signing;
  private MasterKey master;
  private FileUploads uploads;
  private volatile Materials materials;
  private HttpServer server;
  private String base;

  @BeforeAll
  void start() throws Exception {
    directory = Files.createTempDirectory("huitong-materials");
    database = ScratchDatabase.create("materials", "files");
    Migrations.migrate(database.location(), "signing");
    Migrations.migrate(database.location(), "ops");
    storage.open(vertx, database.location(), 4);
    // Open access: materials are under test here, not upload grants (FilesIT).
    config = new FilesConfig("", 64L << 20, Duration.ofHours(1), Duration.ofHours(1), true, Duration.ofSeconds(10),
        new FilesConfig.Access(true, Duration.ofHours(1), 1L << 30, List.of()));
    master = MasterKey.of(new byte[16]);
    signing = Signing.start(vertx, storage, master, new SigningConfig(Secret.of(""), "", false,
        "CN=Materials IT CA,O=Huitong,C=CN", Duration.ofDays(30), Duration.ofDays(1)));
    store = UploadStore.local(vertx, directory.resolve("files"), master, config.encrypt());
    uploads = FileUploads.start(vertx, storage, store, config, MEMBER, master, null, Secret.of(TOKEN)).await().atMost(LIMIT);
    materials = startMaterials();
    Problems problems = new Problems(new SimpleMeterRegistry());
    AdminRoutes admin = new AdminRoutes(vertx, AuditLog.create(storage, MEMBER), Secret.of(TOKEN),
        HubConfiguration.load(null, Map.of()), 1 << 20);
    server = vertx.createHttpServer()
        .requestHandler(ApiRouter.create(vertx, problems, new Drain(problems), List.of(admin::mount,
            new FilesRoutes(() -> uploads)::mount, new MaterialsRoutes(() -> materials, 1 << 20)::mount)))
        .listenAndAwait(0, "127.0.0.1");
    base = "http://127.0.0.1:" + server.actualPort();
  }

  private Materials startMaterials() {
    return Materials.start(vertx, storage, store, signing, master, config, MEMBER, directory.resolve("exports"))
        .await().atMost(LIMIT);
  }

  @AfterAll
  void stop() throws Exception {
    materials.close().await().atMost(LIMIT);
    uploads.close().await().atMost(LIMIT);
    storage.close().await().atMost(LIMIT);
    vertx.closeAndAwait();
    if (database != null) {
      database.close();
    }
    try (Stream<Path> files = Files.walk(directory)) {
      files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    }
  }

  @Test
  void registeringAnswersEachCaseWithItsStatus() throws Exception {
    String department = department();
    String upload = upload(bytes(100));
    assertEquals(401, send(HttpRequest.newBuilder(URI.create(base + API + "/materials"))
        .POST(BodyPublishers.ofString(registration(upload, department, "C-1", HOLDER).encode()))).statusCode());
    assertProblem(422, "HT-MATERIAL-INVALID", post("/materials", registration(upload, department, "C-1", HOLDER)
        .put("unifiedCode", CODE.substring(0, CODE.length() - 1) + "V")));
    assertProblem(422, "HT-MATERIAL-INVALID", post("/materials", registration(upload, department, "C-1", HOLDER)
        .put("issuedAt", "yesterday")));
    assertProblem(422, "HT-MATERIAL-INVALID", post("/materials", registration(upload, department, "C-1", HOLDER)
        .putNull("name")));
    assertProblem(400, "HT-BAD-REQUEST", post("/materials", registration(upload, department, "C-1", HOLDER)
        .put("name", 42)));
    assertProblem(404, "HT-UPLOAD-NOT-FOUND", post("/materials", registration("0".repeat(32), department, "C-1", HOLDER)));
    assertProblem(404, "HT-UPLOAD-NOT-FOUND", post("/materials", registration("../etc", department, "C-1", HOLDER)));
    String unfinished = create(100);
    assertProblem(409, "HT-UPLOAD-INCOMPLETE", post("/materials", registration(unfinished, department, "C-1", HOLDER)));

    HttpResponse<String> created = post("/materials", registration(upload, department, "C-1", HOLDER).put("unifiedCode", CODE));
    assertEquals(201, created.statusCode(), created.body());
    JsonObject m = new JsonObject(created.body());
    assertEquals(API + "/materials/" + m.getString("id"), created.headers().firstValue("Location").orElseThrow());
    assertEquals("/files/" + id(upload), m.getString("file"));
    assertEquals(100, m.getLong("fileSize"));
    assertEquals(hex(recordedSm3(upload)), m.getString("fileSm3"));
    assertEquals("110*************2X", m.getString("holderIdNumberMasked"));
    assertEquals(CODE, m.getString("unifiedCode"));
    JsonObject signature = m.getJsonObject("signature");
    assertEquals("SM3withSM2", signature.getString("algorithm"));
    assertFalse(signature.getString("keyId").isEmpty());
    assertFalse(signature.getString("certificateSerial").isEmpty());
    assertEquals(m, new JsonObject(get("/materials/" + m.getString("id")).body()));

    assertProblem(409, "HT-MATERIAL-EXISTS", post("/materials", registration(upload, department, "C-1", HOLDER)));
    assertProblem(409, "HT-MATERIAL-EXISTS", post("/materials", registration(upload(bytes(5)), department, "C-1", HOLDER)
        .put("unifiedCode", CODE)));
    assertProblem(404, "HT-MATERIAL-NOT-FOUND", get("/materials/" + "0".repeat(32)));
    assertProblem(404, "HT-MATERIAL-NOT-FOUND", get("/materials/nothing"));
  }

  @Test
  void theHolderIdNumberIsStoredEncryptedAndFoundThroughItsBlindIndex() throws Exception {
    String department = department();
    String holder = "3701021990010" + (10000 + random.nextInt(89999));
    String caseA = "CASE-" + UUID.randomUUID();
    String caseB = "CASE-" + UUID.randomUUID();
    Set<String> ofCaseA = new TreeSet<>();
    Set<String> ofHolder = new TreeSet<>();
    for (int i = 0; i < 3; i++) {
      JsonObject m = register(upload(bytes(10 + i)), department, caseA, i < 2 ? holder : HOLDER);
      ofCaseA.add(m.getString("id"));
      if (i < 2) {
        ofHolder.add(m.getString("id"));
      }
    }
    ofHolder.add(register(upload(bytes(7)), department, caseB, holder.toLowerCase()).getString("id"));

    Set<String> paged = new TreeSet<>();
    String query = "/materials?caseNumber=" + caseA + "&limit=2";
    JsonObject page = new JsonObject(get(query).body());
    assertEquals(2, page.getJsonArray("materials").size());
    ids(page, paged);
    page = new JsonObject(get(query + "&after=" + page.getLong("next")).body());
    ids(page, paged);
    assertNull(page.getLong("next"), "the last page has no next");
    assertEquals(ofCaseA, paged);

    HttpResponse<String> found = post("/materials/search", new JsonObject().put("holderIdNumber", " " + holder + " "));
    assertEquals(200, found.statusCode(), found.body());
    assertEquals(ofHolder, ids(new JsonObject(found.body()), new TreeSet<>()));
    assertEquals(Set.of(), ids(new JsonObject(post("/materials/search",
        new JsonObject().put("holderIdNumber", holder).put("caseNumber", "OTHER")).body()), new TreeSet<>()));
    assertEquals(4, new JsonObject(get("/materials?department=" + department).body()).getJsonArray("materials").size());
    assertProblem(422, "HT-MATERIAL-INVALID", post("/materials/search", new JsonObject().put("holderIdNumber", "a b")));
    assertProblem(400, "HT-BAD-REQUEST", get("/materials?limit=0"));
    assertProblem(400, "HT-BAD-REQUEST", get("/materials?holderIdNumber=" + holder));

    try (Connection c = database.connect(); Statement s = c.createStatement();
         ResultSet rows = s.executeQuery("SELECT row_to_json(m)::text, encode(holder_id_sealed, 'escape') FROM files.material m")) {
      while (rows.next()) {
        assertFalse(rows.getString(1).contains(holder) || rows.getString(2).contains(holder), "no ID number in the clear");
      }
    }
  }

  @Test
  void verifyingFindsAlteredMetadataAndAlteredFiles() throws Exception {
    String department = department();
    byte[] data = bytes(4096);
    String upload = upload(data);
    String id = register(upload, department, "C-V", HOLDER).getString("id");
    JsonObject ok = verify(id);
    assertTrue(ok.getBoolean("valid"), ok.encodePrettily());
    assertTrue(ok.getJsonObject("certificate").getBoolean("valid"));
    assertEquals(hex(Sm3.hash(data)), ok.getString("currentSm3"));

    sql("UPDATE files.material SET department = 'somewhere else' WHERE id = '" + id + "'");
    JsonObject moved = verify(id);
    assertFalse(moved.getBoolean("valid"));
    assertFalse(moved.getBoolean("metadataIntact"), "the altered department is not what was sealed");
    assertTrue(moved.getBoolean("signatureValid"));
    assertTrue(moved.getBoolean("fileIntact"));
    sql("UPDATE files.material SET department = '" + department + "' WHERE id = '" + id + "'");
    assertTrue(verify(id).getBoolean("valid"));

    String other = register(upload(bytes(9)), department, "C-V", "E1234567").getString("id");
    sql("UPDATE files.material SET holder_id_sealed = holder_id_sealed || '\\x00'::bytea WHERE id = '" + id + "'");
    assertFalse(verify(id).getBoolean("metadataIntact"), "an altered sealed ID number does not open");
    sql("UPDATE files.material SET holder_id_sealed = substring(holder_id_sealed from 1 for length(holder_id_sealed) - 1)"
        + " WHERE id = '" + id + "'");
    sql("UPDATE files.material m SET holder_id_sealed = o.holder_id_sealed, holder_id_index = o.holder_id_index"
        + " FROM files.material o WHERE m.id = '" + other + "' AND o.id = '" + id + "'");
    assertFalse(verify(other).getBoolean("metadataIntact"), "another material's sealed ID number does not open here");
    assertTrue(verify(id).getBoolean("valid"));

    // The store keeps the file SM4-encrypted: one bit flipped in it is one bit flipped in what it reads back.
    Path file = directory.resolve("files").resolve(id(upload));
    byte[] stored = Files.readAllBytes(file);
    stored[stored.length - 100] ^= 1;
    Files.write(file, stored);
    JsonObject tampered = verify(id);
    assertFalse(tampered.getBoolean("valid"));
    assertFalse(tampered.getBoolean("fileIntact"));
    assertTrue(tampered.getBoolean("metadataIntact"));
    assertNotEquals(tampered.getString("recordedSm3"), tampered.getString("currentSm3"));
    assertEquals(hex(Sm3.hash(data)), tampered.getString("recordedSm3"));
    assertProblem(404, "HT-MATERIAL-NOT-FOUND", post("/materials/" + "f".repeat(32) + "/verify", new JsonObject()));
  }

  @Test
  void anExportIsAZipOfTheDepartmentsFilesAndManifestDownloadableWithARangeResume() throws Exception {
    String department = department();
    Map<String, byte[]> files = new HashMap<>();
    for (int i = 0; i < 3; i++) {
      byte[] data = bytes(i == 0 ? 2 * 1024 * 1024 + 5 : 1000 + i);
      files.put(register(upload(data), department, "C-E" + i, HOLDER).getString("id"), data);
    }
    register(upload(bytes(50)), department() + "-other", "C-E9", HOLDER);
    assertProblem(422, "HT-EXPORT-INVALID", post("/exports", new JsonObject()));
    assertProblem(422, "HT-EXPORT-INVALID", post("/exports", new JsonObject().put("department", department)
        .put("from", "2025-01-02T00:00:00Z").put("to", "2025-01-01T00:00:00Z")));
    assertProblem(404, "HT-EXPORT-NOT-FOUND", get("/exports/" + "0".repeat(32)));

    HttpResponse<String> queued = post("/exports", new JsonObject().put("department", department));
    assertEquals(202, queued.statusCode(), queued.body());
    JsonObject job = done(new JsonObject(queued.body()).getString("id"));
    assertEquals(3, job.getInteger("materials"));
    JsonObject archive = job.getJsonObject("archive");
    String url = archive.getString("url");
    long size = archive.getLong("size");

    HttpResponse<byte[]> first = download(HttpRequest.newBuilder(URI.create(base + url)).header("Range", "bytes=0-" + (size / 2 - 1)));
    assertEquals(206, first.statusCode());
    String etag = first.headers().firstValue("ETag").orElseThrow();
    assertEquals("\"" + archive.getString("sm3") + "\"", etag);
    HttpResponse<byte[]> rest = download(HttpRequest.newBuilder(URI.create(base + url))
        .header("Range", "bytes=" + size / 2 + "-").header("If-Range", etag));
    assertEquals(206, rest.statusCode());
    assertEquals("bytes " + size / 2 + "-" + (size - 1) + "/" + size, rest.headers().firstValue("Content-Range").orElseThrow());
    ByteArrayOutputStream whole = new ByteArrayOutputStream();
    whole.write(first.body());
    whole.write(rest.body());
    byte[] zip = whole.toByteArray();
    assertEquals(size, zip.length);
    assertEquals(archive.getString("sm3"), hex(Sm3.hash(zip)));

    Map<String, byte[]> entries = unzip(zip);
    JsonObject manifest = new JsonObject(new String(entries.remove("manifest.json"), StandardCharsets.UTF_8));
    assertEquals(department, manifest.getString("department"));
    assertEquals(3, manifest.getInteger("count"));
    JsonArray listed = manifest.getJsonArray("materials");
    assertEquals(files.keySet(), ids(new JsonObject().put("materials", listed), new TreeSet<>()));
    for (int i = 0; i < listed.size(); i++) {
      JsonObject m = listed.getJsonObject(i);
      byte[] entry = entries.remove(m.getString("entry"));
      assertArrayEquals(files.get(m.getString("id")), entry);
      assertEquals(m.getString("fileSm3"), hex(Sm3.hash(entry)));
      assertFalse(m.getJsonObject("signature").getString("sealPackage").isEmpty());
      assertFalse(m.encode().contains(HOLDER), "the manifest shows ID numbers masked");
    }
    assertEquals(Set.of(), entries.keySet(), "nothing but the manifest and the files");

    String empty = new JsonObject(post("/exports", new JsonObject().put("department", department)
        .put("from", "2000-01-01T00:00:00+08:00").put("to", "2000-01-02T00:00:00+08:00")).body()).getString("id");
    assertEquals(0, done(empty).getInteger("materials"));
  }

  @Test
  void aJobThisMemberWasRunningWhenItStoppedIsRunAgainOnRestart() throws Exception {
    String department = department();
    byte[] data = bytes(300);
    String material = register(upload(data), department, "C-R", HOLDER).getString("id");
    materials.close().await().atMost(LIMIT);
    String job = UUID.randomUUID().toString().replace("-", "");
    String hopeless = UUID.randomUUID().toString().replace("-", "");
    sql("INSERT INTO files.export_job (id, department, state, attempts, claimed_by, heartbeat_at, started_at) VALUES"
        + " ('" + job + "', '" + department + "', 'RUNNING', 1, '" + MEMBER + "', now(), now()),"
        + " ('" + hopeless + "', '" + department + "', 'RUNNING', 3, '" + MEMBER + "', now(), now())");
    materials = startMaterials();
    JsonObject failed = finished(hopeless);
    assertEquals("FAILED", failed.getString("state"));
    assertTrue(failed.getString("error").contains("interrupted 3 times"), failed.encode());
    JsonObject finished = done(job);
    assertEquals(2, finished.getInteger("attempts"));
    assertEquals(1, finished.getInteger("materials"));
    byte[] zip = download(HttpRequest.newBuilder(URI.create(base + finished.getJsonObject("archive").getString("url")))).body();
    assertArrayEquals(data, unzip(zip).get("files/" + material));
  }

  // --- helpers

  private JsonObject registration(String upload, String department, String caseNumber, String holder) {
    return new JsonObject().put("uploadId", id(upload)).put("name", "营业执照").put("holderName", "张三")
        .put("holderIdNumber", holder).put("department", department).put("issuedAt", "2025-03-01T09:30:00+08:00")
        .put("businessNumber", "YW-1").put("caseNumber", caseNumber);
  }

  private JsonObject register(String upload, String department, String caseNumber, String holder) throws Exception {
    HttpResponse<String> response = post("/materials", registration(upload, department, caseNumber, holder));
    assertEquals(201, response.statusCode(), response.body());
    return new JsonObject(response.body());
  }

  private JsonObject verify(String id) throws Exception {
    HttpResponse<String> response = post("/materials/" + id + "/verify", new JsonObject());
    assertEquals(200, response.statusCode(), response.body());
    return new JsonObject(response.body());
  }

  /** The job once DONE. */
  private JsonObject done(String job) throws Exception {
    JsonObject state = finished(job);
    assertEquals("DONE", state.getString("state"), state.encodePrettily());
    return state;
  }

  /** The job once neither QUEUED nor RUNNING. */
  private JsonObject finished(String job) throws Exception {
    return Eventually.found("export " + job + " finished", LIMIT, () -> {
      JsonObject state = new JsonObject(get("/exports/" + job).body());
      return Set.of("QUEUED", "RUNNING").contains(state.getString("state")) ? null : state;
    });
  }

  private static Map<String, byte[]> unzip(byte[] zip) throws Exception {
    Map<String, byte[]> entries = new HashMap<>();
    try (ZipInputStream in = new ZipInputStream(new ByteArrayInputStream(zip), StandardCharsets.UTF_8)) {
      for (ZipEntry e = in.getNextEntry(); e != null; e = in.getNextEntry()) {
        entries.put(e.getName(), in.readAllBytes());
      }
    }
    return entries;
  }

  private static Set<String> ids(JsonObject page, Set<String> into) {
    page.getJsonArray("materials").forEach(m -> into.add(((JsonObject) m).getString("id")));
    return into;
  }

  private static void assertProblem(int status, String code, HttpResponse<String> response) {
    assertEquals(status, response.statusCode(), response.body());
    assertEquals("application/problem+json", response.headers().firstValue("Content-Type").orElseThrow());
    assertEquals(code, new JsonObject(response.body()).getString("code"), response.body());
  }

  private String department() {
    return "dept-" + UUID.randomUUID();
  }

  private byte[] bytes(int n) {
    byte[] data = new byte[n];
    random.nextBytes(data);
    return data;
  }

  /** A complete upload of {@code data}, created with its bytes (creation-with-upload). */
  private String upload(byte[] data) throws Exception {
    HttpResponse<String> response = send(HttpRequest.newBuilder(URI.create(base + "/files/"))
        .header("Tus-Resumable", "1.0.0").header("Upload-Length", Integer.toString(data.length))
        .header("Content-Type", "application/offset+octet-stream").POST(BodyPublishers.ofByteArray(data)));
    assertEquals(201, response.statusCode(), response.body());
    assertEquals(Integer.toString(data.length), response.headers().firstValue("Upload-Offset").orElseThrow());
    return response.headers().firstValue("Location").orElseThrow();
  }

  private String create(long length) throws Exception {
    HttpResponse<String> response = send(HttpRequest.newBuilder(URI.create(base + "/files/"))
        .header("Tus-Resumable", "1.0.0").header("Upload-Length", Long.toString(length)).POST(BodyPublishers.noBody()));
    assertEquals(201, response.statusCode(), response.body());
    return response.headers().firstValue("Location").orElseThrow();
  }

  private static String id(String location) {
    return location.substring(location.lastIndexOf('/') + 1);
  }

  private byte[] recordedSm3(String upload) throws Exception {
    return database.bytes("SELECT sm3 FROM files.upload WHERE id = '" + id(upload) + "'");
  }

  private void sql(String statement) throws Exception {
    database.execute(statement);
  }

  private HttpResponse<String> get(String path) throws Exception {
    return send(admin(path).GET());
  }

  private HttpResponse<String> post(String path, JsonObject body) throws Exception {
    return send(admin(path).header("Content-Type", "application/json").POST(BodyPublishers.ofString(body.encode())));
  }

  private HttpRequest.Builder admin(String path) {
    return HttpRequest.newBuilder(URI.create(base + API + path)).header("Authorization", "Bearer " + TOKEN);
  }

  private HttpResponse<String> send(HttpRequest.Builder request) throws Exception {
    return http.send(request.timeout(LIMIT).build(), BodyHandlers.ofString(StandardCharsets.UTF_8));
  }

  private HttpResponse<byte[]> download(HttpRequest.Builder request) throws Exception {
    return http.send(request.timeout(LIMIT).build(), BodyHandlers.ofByteArray());
  }

  private static String hex(byte[] bytes) {
    return HexFormat.of().formatHex(bytes);
  }
}
