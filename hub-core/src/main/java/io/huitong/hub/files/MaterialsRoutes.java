package io.huitong.hub.files;

import io.huitong.crypto.x509.ChainCheck;
import io.huitong.hub.http.HubError;
import io.huitong.hub.http.JsonBody;
import io.huitong.hub.http.QueryParams;
import io.huitong.hub.ops.AdminRoutes;
import io.smallrye.mutiny.Uni;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.ext.web.Router;
import io.vertx.mutiny.ext.web.RoutingContext;
import io.vertx.mutiny.ext.web.handler.BodyHandler;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.HexFormat;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * The materials part of the admin API: {@code /api/v1/admin/materials} (register, list, search by holder ID number,
 * get, verify) and {@code /api/v1/admin/exports} (queue a bulk export, follow it). The operator guard of
 * {@link AdminRoutes} runs first, so every call is authenticated and audited. A holder ID number only ever travels in
 * a request body, never in a URL that access logs would keep.
 */
public final class MaterialsRoutes {
  private static final String P = AdminRoutes.PREFIX;
  private static final int MAX_PAGE = 500;

  private final Supplier<Materials> started;
  private final long maxBodySize;

  /** @param started the capability once start-up has opened it, null before */
  public MaterialsRoutes(Supplier<Materials> started, long maxBodySize) {
    this.started = started;
    this.maxBodySize = maxBodySize;
  }

  private Materials materials() {
    Materials m = started.get();
    if (m == null) {
      throw HubError.NOT_READY.exception("Materials are available once the database is up");
    }
    return m;
  }

  public void mount(Router router) {
    post(router, "/materials", this::register, 201);
    router.get(P + "/materials").respond(ctx -> {
      if (QueryParams.stringParam(ctx, "holderIdNumber") != null) {
        // Ignoring it would list every holder's materials to a caller who meant to filter.
        throw HubError.BAD_REQUEST.exception("Send holderIdNumber in the body of POST " + P + "/materials/search,"
            + " never in a URL");
      }
      return list(ctx, null, QueryParams.stringParam(ctx, "caseNumber"), QueryParams.stringParam(ctx, "department"));
    });
    post(router, "/materials/search", ctx -> {
      JsonBody body = JsonBody.of(ctx);
      return list(ctx, body.optionalString("holderIdNumber"), body.optionalString("caseNumber"),
          body.optionalString("department"));
    }, 200);
    router.get(P + "/materials/:id").respond(ctx -> materials().find(ctx.pathParam("id")).map(Material::toJson));
    router.post(P + "/materials/:id/verify").respond(ctx -> materials().verify(ctx.pathParam("id"))
        .map(MaterialsRoutes::verificationJson));
    post(router, "/exports", this::export, 202);
    router.get(P + "/exports/:id").respond(ctx -> materials().exportJob(ctx.pathParam("id")).map(MaterialsRoutes::jobJson));
  }

  private void post(Router router, String path, Function<RoutingContext, Uni<JsonObject>> handler, int status) {
    router.post(P + path)
        .handler(BodyHandler.create(false).setBodyLimit(maxBodySize))
        .respond(ctx -> handler.apply(ctx).invoke(() -> ctx.response().setStatusCode(status)));
  }

  private Uni<JsonObject> register(RoutingContext ctx) {
    JsonBody body = JsonBody.of(ctx);
    MaterialRegistration r = new MaterialRegistration(body.optionalString("uploadId"), body.optionalString("name"),
        body.optionalString("holderName"), body.optionalString("holderIdNumber"), body.optionalString("department"),
        time(body, "issuedAt", HubError.MATERIAL_INVALID), body.optionalString("businessNumber"),
        body.optionalString("unifiedCode"), body.optionalString("caseNumber"));
    return materials().register(r).map(m -> {
      ctx.response().putHeader("Location", P + "/materials/" + m.id());
      return m.toJson();
    });
  }

  private Uni<JsonObject> list(RoutingContext ctx, String holderIdNumber, String caseNumber, String department) {
    long after = QueryParams.longParam(ctx, "after", 0, 0, Long.MAX_VALUE);
    int limit = (int) QueryParams.longParam(ctx, "limit", 100, 1, MAX_PAGE);
    return materials().list(new MaterialQuery(caseNumber, holderIdNumber, department, after, limit)).map(page -> {
      JsonArray items = new JsonArray();
      page.materials().forEach(m -> items.add(m.toJson()));
      JsonObject out = new JsonObject().put("materials", items);
      if (page.next() != null) {
        out.put("next", page.next());
      }
      return out;
    });
  }

  private Uni<JsonObject> export(RoutingContext ctx) {
    JsonBody body = JsonBody.of(ctx);
    return materials().export(body.optionalString("department"), time(body, "from", HubError.EXPORT_INVALID),
        time(body, "to", HubError.EXPORT_INVALID)).map(job -> {
          ctx.response().putHeader("Location", P + "/exports/" + job.id());
          return jobJson(job);
        });
  }

  /** An RFC 3339 time with its offset, or null when absent. */
  private static Instant time(JsonBody body, String field, HubError error) {
    String value = body.optionalString(field);
    if (value == null) {
      return null;
    }
    try {
      return OffsetDateTime.parse(value).toInstant();
    } catch (DateTimeParseException e) {
      throw error.exception("Field '" + field + "' is not an RFC 3339 time with an offset, such as 2025-01-02T09:30:00+08:00");
    }
  }

  private static JsonObject verificationJson(Materials.Verification v) {
    HexFormat hex = HexFormat.of();
    ChainCheck check = v.certificateCheck();
    return new JsonObject().put("valid", v.valid()).put("signatureValid", v.signatureValid())
        .put("metadataIntact", v.metadataIntact()).put("fileIntact", v.fileIntact())
        .put("recordedSm3", hex.formatHex(v.material().fileSm3()))
        .put("currentSm3", v.currentSm3() == null ? null : hex.formatHex(v.currentSm3()))
        .put("signedAt", v.material().seal().signedAt().toString())
        .put("certificate", new JsonObject().put("serial", v.material().seal().certificateSerial())
            .put("valid", check.valid()).put("problem", check.problem() == null ? null : check.problem().name())
            .put("detail", check.detail()))
        .put("material", v.material().toJson());
  }

  private static JsonObject jobJson(ExportJob job) {
    JsonObject out = new JsonObject().put("id", job.id()).put("department", job.department())
        .put("from", text(job.from())).put("to", text(job.to())).put("state", job.state().name())
        .put("attempts", job.attempts()).put("materials", job.materials()).put("error", job.error())
        .put("createdAt", text(job.createdAt())).put("startedAt", text(job.startedAt()))
        .put("finishedAt", text(job.finishedAt()));
    if (job.uploadId() != null) {
      out.put("archive", new JsonObject().put("uploadId", job.uploadId()).put("url", FilesRoutes.PREFIX + job.uploadId())
          .put("size", job.archiveSize()).put("sm3", HexFormat.of().formatHex(job.archiveSm3())));
    }
    return out;
  }

  private static String text(Instant at) {
    return at == null ? null : at.toString();
  }
}
