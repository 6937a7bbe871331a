package io.huitong.connectors.simulator;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.core.buffer.Buffer;
import java.nio.charset.StandardCharsets;

/**
 * The proxy benchmark's payload: a JSON object of 10,000 to 10,500 bytes whose only varying field is its id.
 * Everything but the id is rendered once, so answering costs two buffer copies and no JSON encoding.
 */
final class BenchDocument {
  private static final int TARGET_BYTES = 10_100;
  private static final byte[] PREFIX = "{\"id\":".getBytes(StandardCharsets.UTF_8);
  private static final byte[] REST = rest();

  private BenchDocument() {
  }

  /** The document for {@code id}; the same bytes for the same id, always. */
  static Buffer render(long id) {
    return Buffer.buffer(PREFIX.length + REST.length + 20).appendBytes(PREFIX).appendString(Long.toString(id))
        .appendBytes(REST);
  }

  /** Everything after the id: a comma, the fields and enough items to reach the target size. */
  private static byte[] rest() {
    JsonArray items = new JsonArray();
    JsonObject body = new JsonObject().put("title", "便民查询基准文档").put("department", "bench")
        .put("generatedAt", Population.AS_OF + "T00:00:00+08:00").put("items", items);
    String encoded = body.encode();
    for (int i = 1; PREFIX.length + 1 + encoded.getBytes(StandardCharsets.UTF_8).length < TARGET_BYTES; i++) {
      items.add(new JsonObject().put("seq", i).put("code", String.format("ITEM-%04d", i))
          .put("name", "便民服务事项 " + i).put("department", "hrss")
          .put("amount", DepartmentRecords.money(i * 37.5)).put("status", i % 7 == 0 ? "pending" : "done")
          .put("updatedAt", Population.AS_OF.minusDays(i) + "T09:30:00+08:00"));
      encoded = body.encode();
    }
    // The object's opening brace comes from PREFIX, so the rest starts with the comma after the id.
    return ("," + encoded.substring(1)).getBytes(StandardCharsets.UTF_8);
  }
}
