/**
 * The data proxy (数据代理): the service catalogue consumers call at {@code /api/v1/services/{serviceId}}, each
 * service bound to operations of department connectors. Every call is authenticated (app key and HMAC-SM3
 * signature), authorized (an approved application with field grants), limited across the cluster, cached where
 * the service allows, retried and circuit-broken per upstream, audited in a hash chain and measured.
 *
 * <p>Tables (schema {@code proxy}): {@code service}, {@code consumer}, {@code application}, {@code alarm_rule},
 * {@code alarm}, and the call audit {@code call_audit} with its chain head {@code call_audit_head}
 * (docs/proxy-audit.md). Config keys: {@code proxy.*} ({@link io.huitong.hub.proxy.ProxyConfig}).
 */
package io.huitong.hub.proxy;
