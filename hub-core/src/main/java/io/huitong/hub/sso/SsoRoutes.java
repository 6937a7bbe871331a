package io.huitong.hub.sso;

import io.huitong.hub.http.HubError;
import io.huitong.hub.http.HubException;
import io.huitong.hub.http.JsonBody;
import io.huitong.hub.http.Problems;
import io.huitong.hub.http.RequestIds;
import io.huitong.hub.identity.Identity;
import io.huitong.hub.ops.AdminRoutes;
import io.smallrye.mutiny.Uni;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.core.http.Cookie;
import io.vertx.mutiny.ext.web.Router;
import io.vertx.mutiny.ext.web.RoutingContext;
import io.vertx.mutiny.ext.web.handler.BodyHandler;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The provider's HTTP side: the OpenID Connect endpoints under {@code /sso} (OAuth errors as the protocol spells
 * them, login pages as HTML) and, behind the operator guard, {@code /api/v1/admin/sso/*} to register relying
 * systems and rotate keys (problem+json).
 */
public final class SsoRoutes {
  public static final String PREFIX = "/sso";
  private static final String ADMIN = AdminRoutes.PREFIX + "/sso";
  static final String SESSION_COOKIE = "ht_sso_session";
  static final String CSRF_COOKIE = "ht_sso_csrf";
  private static final SecureRandom RANDOM = new SecureRandom();

  private final Supplier<Sso> started;
  private final long maxBodySize;

  /** @param started the provider once start-up has opened it, null before */
  public SsoRoutes(Supplier<Sso> started, long maxBodySize) {
    this.started = started;
    this.maxBodySize = maxBodySize;
  }

  private Sso sso() {
    Sso s = started.get();
    if (s == null) {
      throw HubError.NOT_READY.exception("Sign-on is available once the database is up");
    }
    return s;
  }

  public void mount(Router router) {
    router.get(PREFIX + "/.well-known/openid-configuration").respond(ctx -> {
      ctx.response().putHeader("Cache-Control", "public, max-age=300");
      return Uni.createFrom().item(sso().discovery());
    });
    router.get(PREFIX + "/jwks").respond(ctx -> jwks(ctx, false));
    router.get(PREFIX + "/jwks/sm2").respond(ctx -> jwks(ctx, true));

    router.get(PREFIX + "/authorize").handler(ctx -> authorize(ctx, AuthorizationRequest.from(ctx.request()::getParam)));
    router.post(PREFIX + "/authorize").handler(formBody()).handler(this::signIn);

    router.post(PREFIX + "/token").handler(formBody()).handler(ctx -> oauth(ctx,
        sso().token(FormBody.of(ctx), credentials(ctx)), 200));
    router.get(PREFIX + "/userinfo").handler(ctx -> userinfo(ctx, bearer(ctx)));
    router.post(PREFIX + "/userinfo").handler(formBody()).handler(ctx -> userinfo(ctx,
        bearer(ctx) != null ? bearer(ctx) : FormBody.of(ctx).get("access_token")));
    router.post(PREFIX + "/introspect").handler(formBody()).handler(ctx -> oauth(ctx,
        sso().introspect(FormBody.of(ctx).get("token"), credentials(ctx)), 200));
    router.post(PREFIX + "/revoke").handler(formBody()).handler(ctx -> oauth(ctx,
        sso().revoke(FormBody.of(ctx).get("token"), credentials(ctx)).map(v -> new JsonObject()), 200));
    router.get(PREFIX + "/logout").handler(ctx -> logout(ctx, ctx.request()::getParam, false));
    router.post(PREFIX + "/logout").handler(formBody()).handler(ctx -> {
      boolean confirmed = FormBody.of(ctx).get("confirm") != null;
      if (confirmed && !csrfChecks(ctx)) {
        page(ctx, 403, "请求已失效 The form expired", "<p>请返回应用重新退出。Go back to the application and sign out again.</p>");
        return;
      }
      logout(ctx, FormBody.of(ctx)::get, confirmed);
    });

    router.post(ADMIN + "/clients").handler(BodyHandler.create(false).setBodyLimit(maxBodySize)).respond(ctx ->
        sso().registerClient(registration(JsonBody.of(ctx)), operator(ctx)).map(r -> {
          ctx.response().setStatusCode(201);
          return r.client().toJson().put("clientSecret", r.secret());
        }));
    router.get(ADMIN + "/clients").respond(ctx -> sso().clients().map(list -> new JsonObject()
        .put("clients", new JsonArray(list.stream().map(RelyingParty::toJson).toList()))));
    router.get(ADMIN + "/clients/:id").respond(ctx -> sso().client(ctx.pathParam("id")).map(SsoRoutes::found));
    router.patch(ADMIN + "/clients/:id").handler(BodyHandler.create(false).setBodyLimit(maxBodySize)).respond(ctx ->
        sso().updateClient(ctx.pathParam("id"), registration(JsonBody.of(ctx)), operator(ctx)).map(SsoRoutes::found));
    router.post(ADMIN + "/clients/:id/secret").respond(ctx ->
        sso().rotateClientSecret(ctx.pathParam("id"), operator(ctx)).map(secret -> {
          if (secret == null) {
            throw HubError.SSO_CLIENT_NOT_FOUND.exception(null);
          }
          return new JsonObject().put("clientId", ctx.pathParam("id")).put("clientSecret", secret);
        }));
    router.delete(ADMIN + "/clients/:id").respond(ctx -> sso().deleteClient(ctx.pathParam("id"), operator(ctx))
        .map(deleted -> {
          if (!deleted) {
            throw HubError.SSO_CLIENT_NOT_FOUND.exception(null);
          }
          ctx.response().setStatusCode(204);
          return null;
        }));
    router.post(ADMIN + "/keys/rotate").respond(ctx -> sso().rotateKeys(operator(ctx))
        .map(v -> new JsonObject().put("keys", sso().jwks(false).getJsonArray("keys").copy()
            .addAll(sso().jwks(true).getJsonArray("keys")))));
  }

  private FormBody formBody() {
    return new FormBody(Math.min(maxBodySize, 64 * 1024));
  }

  private Uni<JsonObject> jwks(RoutingContext ctx, boolean sm2) {
    ctx.response().putHeader("Cache-Control", "public, max-age=300");
    return Uni.createFrom().item(sso().jwks(sm2));
  }

  // ---- authorization endpoint and login form ----------------------------------------------------------------------

  private void authorize(RoutingContext ctx, AuthorizationRequest request) {
    sso().authorize(request, cookie(ctx, SESSION_COOKIE)).subscribe().with(outcome -> {
      if (outcome.loginRequired()) {
        loginPage(ctx, request, 200, null, false, null);
      } else {
        redirect(ctx, 302, outcome.redirect());
      }
    }, failure -> pageFailure(ctx, failure));
  }

  /** Whether a posted form carries the CSRF token of this browser's {@code ht_sso_csrf} cookie. */
  private boolean csrfChecks(RoutingContext ctx) {
    String nonce = cookie(ctx, CSRF_COOKIE);
    String csrf = FormBody.of(ctx).get("csrf");
    return nonce != null && csrf != null && MessageDigest.isEqual(sso().csrfToken(nonce).getBytes(StandardCharsets.US_ASCII),
        csrf.getBytes(StandardCharsets.US_ASCII));
  }

  /** The CSRF token to put in a form, setting the browser's nonce cookie first when it has none. */
  private String csrfToken(RoutingContext ctx) {
    String nonce = cookie(ctx, CSRF_COOKIE);
    if (nonce == null) {
      byte[] random = new byte[32];
      RANDOM.nextBytes(random);
      nonce = Base64.getUrlEncoder().withoutPadding().encodeToString(random);
      ctx.response().headers().add("Set-Cookie", cookieHeader(CSRF_COOKIE, nonce, -1));
    }
    return sso().csrfToken(nonce);
  }

  private void signIn(RoutingContext ctx) {
    AuthorizationRequest request = AuthorizationRequest.from(FormBody.of(ctx)::get);
    if (!csrfChecks(ctx)) {
      page(ctx, 403, "请求已失效 The form expired", "<p>请返回应用重新登录。Go back to the application and sign in again.</p>");
      return;
    }
    String login = FormBody.of(ctx).get("login");
    sso().signIn(request, login, FormBody.of(ctx).get("password"),
            blankToNull(FormBody.of(ctx).get("sms_code")),
            new Identity.Origin("anonymous", ctx.get(RequestIds.KEY), remote(ctx)))
        .subscribe().with(signOn -> {
          if (signOn.sessionCookie() != null) {
            ctx.response().headers().add("Set-Cookie", cookieHeader(SESSION_COOKIE, signOn.sessionCookie(), -1));
          }
          redirect(ctx, 303, signOn.redirect());
        }, failure -> {
          if (failure instanceof HubException hub && hub.error() != HubError.INTERNAL && hub.error() != HubError.NOT_READY) {
            HubError e = hub.error();
            if (e == HubError.IDENTITY_BUSY || e == HubError.ACCOUNT_LOCKED || e == HubError.RATE_LIMITED) {
              Object retry = hub.extensions().get(Problems.RETRY_AFTER_SECONDS);
              if (retry != null) {
                ctx.response().putHeader("Retry-After", retry.toString());
              }
            }
            loginPage(ctx, request, e.status(), message(e), e == HubError.SECOND_FACTOR_REQUIRED
                || e == HubError.SMS_CODE_INVALID, login);
          } else {
            pageFailure(ctx, failure);
          }
        });
  }

  private static String message(HubError e) {
    return switch (e) {
      case LOGIN_FAILED -> "账号或密码错误。The login or the password is wrong.";
      case ACCOUNT_LOCKED -> "登录失败次数过多，账号暂时锁定，请稍后再试。Too many failed logins: try again later.";
      case ACCOUNT_DISABLED -> "账号已被禁用。The account is disabled.";
      case SECOND_FACTOR_REQUIRED -> "验证码已发送至您的手机，请输入密码和验证码。A code was sent to your phone: enter"
          + " your password and the code.";
      case SMS_CODE_INVALID -> "验证码错误或已过期。The SMS code is wrong or expired.";
      case IDENTITY_BUSY -> "登录人数较多，请稍后再试。Too many people are signing in: try again in a moment.";
      case RATE_LIMITED -> "请稍后再试。Try again in a moment.";
      default -> "请检查输入。Check what you entered.";
    };
  }

  private void loginPage(RoutingContext ctx, AuthorizationRequest request, int status, String message, boolean smsCode,
                         String login) {
    String csrf = csrfToken(ctx);
    StringBuilder form = new StringBuilder();
    if (message != null) {
      form.append("<p class=\"error\" role=\"alert\">").append(escape(message)).append("</p>");
    }
    form.append("<form method=\"post\" action=\"").append(PREFIX).append("/authorize\">")
        .append("<input type=\"hidden\" name=\"csrf\" value=\"").append(escape(csrf)).append("\">");
    request.parameters().forEach((name, value) -> form.append("<input type=\"hidden\" name=\"").append(escape(name))
        .append("\" value=\"").append(escape(value)).append("\">"));
    form.append("<label>身份证号或手机号 ID number or phone<input name=\"login\" autocomplete=\"username\" required value=\"")
        .append(login == null ? "" : escape(login)).append("\"></label>")
        .append("<label>密码 Password<input name=\"password\" type=\"password\" autocomplete=\"current-password\""
            + " required></label>");
    if (smsCode) {
      form.append("<label>短信验证码 SMS code<input name=\"sms_code\" inputmode=\"numeric\" autocomplete=\"one-time-code\""
          + " required></label>");
    }
    form.append("<button type=\"submit\">登录 Sign in</button></form>");
    page(ctx, status, "统一身份认证 Sign in", form.toString());
  }

  private void pageFailure(RoutingContext ctx, Throwable failure) {
    if (failure instanceof OAuthException oauth) {
      page(ctx, oauth.status(), "无法登录 Cannot sign in", "<p>" + escape(oauth.getMessage()) + "</p>");
    } else {
      ctx.fail(failure);
    }
  }

  private static void page(RoutingContext ctx, int status, String title, String body) {
    ctx.response().setStatusCode(status)
        .putHeader("Content-Type", "text/html; charset=utf-8")
        .putHeader("Cache-Control", "no-store")
        .putHeader("X-Frame-Options", "DENY")
        .putHeader("Content-Security-Policy", "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'")
        .endAndForget("<!doctype html><html lang=\"zh-CN\"><head><meta charset=\"utf-8\"><title>" + escape(title)
            + "</title><style>body{font-family:sans-serif;max-width:24em;margin:4em auto}label{display:block;margin:1em 0}"
            + "input{display:block;width:100%}.error{color:#b00}</style></head><body><h1>" + escape(title) + "</h1>"
            + body + "</body></html>");
  }

  private static void redirect(RoutingContext ctx, int status, String location) {
    ctx.response().setStatusCode(status).putHeader("Location", location).putHeader("Cache-Control", "no-store")
        .endAndForget();
  }

  // ---- logout -----------------------------------------------------------------------------------------------------

  private void logout(RoutingContext ctx, java.util.function.UnaryOperator<String> param, boolean confirmed) {
    sso().logout(param.apply("id_token_hint"), param.apply("client_id"), param.apply("post_logout_redirect_uri"),
            param.apply("state"), cookie(ctx, SESSION_COOKIE), confirmed,
            new Identity.Origin("anonymous", ctx.get(RequestIds.KEY), remote(ctx)))
        .subscribe().with(logout -> {
          if (logout.confirm()) {
            logoutPage(ctx, param);
            return;
          }
          ctx.response().headers().add("Set-Cookie", cookieHeader(SESSION_COOKIE, "", 0));
          if (logout.redirect() != null) {
            redirect(ctx, 303, logout.redirect());
          } else {
            page(ctx, 200, "已退出 Signed out", "<p>您已退出统一身份认证。You are signed out.</p>");
          }
        }, failure -> pageFailure(ctx, failure));
  }

  /** Asks whether to sign out, the request's parameters carried in hidden fields of a form posted back. */
  private void logoutPage(RoutingContext ctx, java.util.function.UnaryOperator<String> param) {
    StringBuilder form = new StringBuilder("<p>是否退出统一身份认证？Sign out of the government services sign-on?</p>")
        .append("<form method=\"post\" action=\"").append(PREFIX).append("/logout\">")
        .append("<input type=\"hidden\" name=\"csrf\" value=\"").append(escape(csrfToken(ctx))).append("\">");
    for (String name : List.of("id_token_hint", "client_id", "post_logout_redirect_uri", "state")) {
      String value = param.apply(name);
      if (value != null) {
        form.append("<input type=\"hidden\" name=\"").append(name).append("\" value=\"").append(escape(value))
            .append("\">");
      }
    }
    form.append("<button type=\"submit\" name=\"confirm\" value=\"yes\">退出 Sign out</button></form>");
    page(ctx, 200, "退出 Sign out", form.toString());
  }

  // ---- token, userinfo, introspection, revocation ----------------------------------------------------------------

  private void userinfo(RoutingContext ctx, String token) {
    sso().userinfo(token).subscribe().with(info -> json(ctx, 200, info), failure -> {
      if (failure instanceof OAuthException oauth && oauth.status() == 401) {
        ctx.response().putHeader("WWW-Authenticate", "Bearer error=\"" + oauth.error() + "\"");
      }
      oauthFailure(ctx, failure);
    });
  }

  private static void oauth(RoutingContext ctx, Uni<JsonObject> answer, int status) {
    answer.subscribe().with(json -> json(ctx, status, json), failure -> oauthFailure(ctx, failure));
  }

  private static void oauthFailure(RoutingContext ctx, Throwable failure) {
    if (failure instanceof OAuthException oauth) {
      if ("invalid_client".equals(oauth.error())) {
        ctx.response().putHeader("WWW-Authenticate", "Basic realm=\"sso\"");
      }
      json(ctx, oauth.status(), new JsonObject().put("error", oauth.error()).put("error_description", oauth.getMessage()));
    } else {
      ctx.fail(failure);
    }
  }

  private static void json(RoutingContext ctx, int status, JsonObject body) {
    ctx.response().setStatusCode(status).putHeader("Content-Type", "application/json")
        .putHeader("Cache-Control", "no-store").putHeader("Pragma", "no-cache").endAndForget(body.encode());
  }

  /** client_secret_basic (RFC 6749 2.3.1: each part form-urlencoded) or client_secret_post. */
  private static Sso.ClientCredentials credentials(RoutingContext ctx) {
    String authorization = ctx.request().getHeader("Authorization");
    if (authorization != null && authorization.regionMatches(true, 0, "Basic ", 0, 6)) {
      try {
        String decoded = new String(Base64.getDecoder().decode(authorization.substring(6).trim()), StandardCharsets.UTF_8);
        int colon = decoded.indexOf(':');
        if (colon < 0) {
          return new Sso.ClientCredentials(null, null);
        }
        return new Sso.ClientCredentials(urlDecode(decoded.substring(0, colon)), urlDecode(decoded.substring(colon + 1)));
      } catch (IllegalArgumentException e) {
        return new Sso.ClientCredentials(null, null);
      }
    }
    return new Sso.ClientCredentials(FormBody.of(ctx).get("client_id"), FormBody.of(ctx).get("client_secret"));
  }

  private static String urlDecode(String value) {
    return java.net.URLDecoder.decode(value, StandardCharsets.UTF_8);
  }

  private static String bearer(RoutingContext ctx) {
    String authorization = ctx.request().getHeader("Authorization");
    return authorization != null && authorization.regionMatches(true, 0, "Bearer ", 0, 7)
        ? authorization.substring(7).trim() : null;
  }

  // ---- helpers ----------------------------------------------------------------------------------------------------

  private String cookieHeader(String name, String value, int maxAge) {
    return name + "=" + value + "; Path=" + PREFIX + "; HttpOnly; SameSite=Lax"
        + (sso().secureCookies() ? "; Secure" : "") + (maxAge >= 0 ? "; Max-Age=" + maxAge : "");
  }

  private static String cookie(RoutingContext ctx, String name) {
    Cookie cookie = ctx.request().getCookie(name);
    return cookie == null || cookie.getValue().isEmpty() ? null : cookie.getValue();
  }

  /** The registration fields of the body; those absent are null. */
  private static RelyingParty.Registration registration(JsonBody body) {
    return new RelyingParty.Registration(body.optionalString("name"), strings(body, "redirectUris"),
        strings(body, "postLogoutRedirectUris"), strings(body, "scopes"), body.optionalString("signingAlg"));
  }

  private static JsonObject found(RelyingParty client) {
    if (client == null) {
      throw HubError.SSO_CLIENT_NOT_FOUND.exception(null);
    }
    return client.toJson();
  }

  private static List<String> strings(JsonBody body, String field) {
    Object value = body.object().getValue(field);
    if (value == null) {
      return null;
    }
    if (!(value instanceof JsonArray array) || array.stream().anyMatch(i -> !(i instanceof String))) {
      throw HubError.SSO_CLIENT_INVALID.exception("Field '" + field + "' must be an array of strings");
    }
    return array.stream().map(String.class::cast).toList();
  }

  private static Identity.Origin operator(RoutingContext ctx) {
    return new Identity.Origin("operator", ctx.get(RequestIds.KEY), remote(ctx));
  }

  private static String remote(RoutingContext ctx) {
    return ctx.request().remoteAddress() == null ? null : ctx.request().remoteAddress().host();
  }

  private static String blankToNull(String value) {
    return value == null || value.isBlank() ? null : value.strip();
  }

  static String escape(String text) {
    StringBuilder out = new StringBuilder(text.length());
    for (char c : text.toCharArray()) {
      switch (c) {
        case '<' -> out.append("&lt;");
        case '>' -> out.append("&gt;");
        case '&' -> out.append("&amp;");
        case '"' -> out.append("&quot;");
        case '\'' -> out.append("&#39;");
        default -> out.append(c);
      }
    }
    return out.toString();
  }
}
