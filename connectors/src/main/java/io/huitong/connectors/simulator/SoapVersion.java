package io.huitong.connectors.simulator;

/** The two SOAP versions the simulator speaks, each at its own path prefix. */
enum SoapVersion {
  SOAP_11("/ws/", "http://schemas.xmlsoap.org/soap/envelope/", "text/xml; charset=utf-8",
      "http://schemas.xmlsoap.org/wsdl/soap/", "Client", "Server"),
  SOAP_12("/ws12/", "http://www.w3.org/2003/05/soap-envelope", "application/soap+xml; charset=utf-8",
      "http://schemas.xmlsoap.org/wsdl/soap12/", "Sender", "Receiver");

  final String pathPrefix;
  final String envelopeNamespace;
  final String contentType;
  /** The namespace of the WSDL 1.1 binding extension for this version. */
  final String wsdlBindingNamespace;
  /** The fault code for the caller's mistake (a bad parameter, an unknown person). */
  final String senderFault;
  /** The fault code for the department's own failure (an injected error). */
  final String receiverFault;

  SoapVersion(String pathPrefix, String envelopeNamespace, String contentType, String wsdlBindingNamespace,
              String senderFault, String receiverFault) {
    this.pathPrefix = pathPrefix;
    this.envelopeNamespace = envelopeNamespace;
    this.contentType = contentType;
    this.wsdlBindingNamespace = wsdlBindingNamespace;
    this.senderFault = senderFault;
    this.receiverFault = receiverFault;
  }

  /** The target namespace of a department's messages and WSDL, the same for both versions. */
  static String namespace(String department) {
    return "urn:huitong:simulator:" + department;
  }

  /** The SOAPAction (1.1) or action parameter (1.2) of an operation, as the WSDL declares it. */
  static String action(String department, String operation) {
    return namespace(department) + "/" + operation;
  }
}
