/** Reading untrusted XML safely: {@link io.huitong.xml.HardenedXml}. */
package io.huitong.xml;
