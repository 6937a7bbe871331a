package io.huitong.connectors.soap;

/** SOAP 1.1 or 1.2: the envelope namespace, the WSDL binding namespace and how the action travels. */
enum SoapVersion {
  V1_1("1.1", "http://schemas.xmlsoap.org/soap/envelope/", "http://schemas.xmlsoap.org/wsdl/soap/"),
  V1_2("1.2", "http://www.w3.org/2003/05/soap-envelope", "http://schemas.xmlsoap.org/wsdl/soap12/");

  private final String label;
  private final String envelopeNamespace;
  private final String bindingNamespace;

  SoapVersion(String label, String envelopeNamespace, String bindingNamespace) {
    this.label = label;
    this.envelopeNamespace = envelopeNamespace;
    this.bindingNamespace = bindingNamespace;
  }

  /** The version written {@code 1.1} or {@code 1.2}, or null. */
  static SoapVersion labelled(String label) {
    for (SoapVersion v : values()) {
      if (v.label.equals(label)) {
        return v;
      }
    }
    return null;
  }

  /** The version whose WSDL binding extensions live in {@code namespace}, or null. */
  static SoapVersion ofBinding(String namespace) {
    for (SoapVersion v : values()) {
      if (v.bindingNamespace.equals(namespace)) {
        return v;
      }
    }
    return null;
  }

  String envelopeNamespace() {
    return envelopeNamespace;
  }

  /** 1.1 sends the action in a SOAPAction header; 1.2 as a parameter of the content type. */
  String contentType(String action) {
    return this == V1_1 ? "text/xml; charset=utf-8"
        : "application/soap+xml; charset=utf-8; action=\"" + action + "\"";
  }

  @Override
  public String toString() {
    return "SOAP " + label;
  }
}
