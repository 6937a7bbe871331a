/**
 * How a consumer application signs its calls of the hub's data services: the headers, the text that is signed, and
 * HMAC-SM3 or SM2 over it. The hub checks with the same code consumers sign with, so the two cannot drift apart.
 */
package io.huitong.consumer;
