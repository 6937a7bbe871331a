package io.huitong.xml;

import javax.xml.XMLConstants;
import javax.xml.stream.XMLInputFactory;

/**
 * The one way Huitong reads XML that comes from elsewhere (envelopes, department answers, SOAP requests): the JDK's
 * own StAX parser with DTDs and external entities off, so a document can neither pull in a local file or a URL (XXE)
 * nor expand entities without bound.
 */
public final class HardenedXml {
  private HardenedXml() {
  }

  /**
   * A new namespace-aware factory with DTDs and external entities off. Callers may set further properties before
   * first use; once configured, a factory is safe to share between threads (it makes a new reader per document).
   */
  public static XMLInputFactory inputFactory() {
    XMLInputFactory factory = XMLInputFactory.newDefaultFactory();
    factory.setProperty(XMLInputFactory.SUPPORT_DTD, false);
    factory.setProperty(XMLInputFactory.IS_SUPPORTING_EXTERNAL_ENTITIES, false);
    factory.setProperty(XMLConstants.ACCESS_EXTERNAL_DTD, "");
    factory.setProperty(XMLInputFactory.IS_NAMESPACE_AWARE, true);
    return factory;
  }
}
