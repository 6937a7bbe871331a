/** JSON-lines logging that carries each HTTP request's id across the asynchronous hops the request causes. */
package io.huitong.hub.logging;
