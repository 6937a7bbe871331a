package io.huitong.hub.http;

import io.vertx.core.http.HttpMethod;
import io.vertx.mutiny.ext.web.Route;
import io.vertx.mutiny.ext.web.Router;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Which methods each routed path takes, read from the router once it is built, for the {@code Allow} header of a
 * 405 (Vert.x-web answers 405 without one). Immutable and thread-safe.
 */
final class AllowedMethods {
  private final List<Map.Entry<Pattern, TreeSet<String>>> paths;

  private AllowedMethods(List<Map.Entry<Pattern, TreeSet<String>>> paths) {
    this.paths = paths;
  }

  static AllowedMethods of(Router router) {
    List<Map.Entry<Pattern, TreeSet<String>>> paths = new ArrayList<>();
    for (Route route : router.getRoutes()) {
      if (route.getPath() == null || !route.isExactPath() || route.methods() == null || route.methods().isEmpty()) {
        continue;
      }
      // A path parameter (:serial) matches one segment.
      Pattern pattern = Pattern.compile(Pattern.quote(route.getPath()).replaceAll(":[A-Za-z]+", "\\\\E[^/]+\\\\Q"));
      TreeSet<String> methods = route.methods().stream().map(HttpMethod::name).collect(Collectors.toCollection(TreeSet::new));
      paths.add(Map.entry(pattern, methods));
    }
    return new AllowedMethods(List.copyOf(paths));
  }

  /** The methods {@code path} takes, comma-separated, as the Allow header lists them. */
  String forPath(String path) {
    TreeSet<String> methods = new TreeSet<>();
    paths.stream().filter(e -> e.getKey().matcher(path).matches()).forEach(e -> methods.addAll(e.getValue()));
    return String.join(", ", methods);
  }
}
