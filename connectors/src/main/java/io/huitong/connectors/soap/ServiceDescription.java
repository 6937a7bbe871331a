package io.huitong.connectors.soap;

import io.huitong.connector.ConnectorException;
import io.huitong.connector.ConnectorException.Failure;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import javax.xml.stream.XMLStreamReader;

/**
 * What the connector takes from a WSDL 1.1 document (服务描述): the target namespace, and for one SOAP port its
 * version, its address and the soapAction of each operation of its binding.
 *
 * @param targetNamespace the namespace of the operation elements
 * @param version the SOAP version of the chosen port's binding
 * @param endpoint the chosen port's address
 * @param actions soapAction by operation name (empty when the binding declares none)
 */
record ServiceDescription(String targetNamespace, SoapVersion version, String endpoint, Map<String, String> actions) {
  private static final String WSDL = "http://schemas.xmlsoap.org/wsdl/";

  /** A SOAP port: the local name of its binding and its address. */
  private record Port(String binding, String location, SoapVersion version) {
  }

  /**
   * Reads a WSDL and picks its first SOAP port, or its first of {@code preferred} version when that is not null.
   *
   * @throws ConnectorException BAD_RESPONSE for a document that is not a readable WSDL with a SOAP port
   */
  static ServiceDescription parse(byte[] document, SoapVersion preferred) {
    XMLStreamReader reader = SafeXml.reader(document);
    String targetNamespace = null;
    Map<String, SoapVersion> bindingVersions = new HashMap<>();
    Map<String, Map<String, String>> bindingActions = new HashMap<>();
    List<Port> ports = new ArrayList<>();
    String binding = null;
    String operation = null;
    String portBinding = null;
    while (SafeXml.nextElement(reader)) {
      String ns = reader.getNamespaceURI();
      String name = reader.getLocalName();
      SoapVersion extension = SoapVersion.ofBinding(ns);
      if (WSDL.equals(ns)) {
        switch (name) {
          case "definitions" -> targetNamespace = reader.getAttributeValue(null, "targetNamespace");
          case "binding" -> {
            binding = reader.getAttributeValue(null, "name");
            bindingActions.put(binding, new HashMap<>());
          }
          case "operation" -> operation = reader.getAttributeValue(null, "name");
          case "port" -> portBinding = localPart(reader.getAttributeValue(null, "binding"));
          default -> { }
        }
      } else if (extension != null && binding != null && name.equals("binding")) {
        bindingVersions.put(binding, extension);
      } else if (extension != null && binding != null && operation != null && name.equals("operation")) {
        String action = reader.getAttributeValue(null, "soapAction");
        bindingActions.get(binding).put(operation, action == null ? "" : action);
      } else if (extension != null && portBinding != null && name.equals("address")) {
        ports.add(new Port(portBinding, reader.getAttributeValue(null, "location"), extension));
      }
    }
    if (targetNamespace == null) {
      throw new ConnectorException(Failure.BAD_RESPONSE, "the WSDL has no definitions with a targetNamespace");
    }
    Port port = ports.stream().filter(p -> p.version() == preferred).findFirst()
        .orElse(ports.isEmpty() ? null : ports.get(0));
    if (port == null || port.location() == null) {
      throw new ConnectorException(Failure.BAD_RESPONSE, "the WSDL has no SOAP port with an address");
    }
    SoapVersion version = bindingVersions.getOrDefault(port.binding(), port.version());
    return new ServiceDescription(targetNamespace, version, port.location(),
        Map.copyOf(bindingActions.getOrDefault(port.binding(), Map.of())));
  }

  private static String localPart(String qname) {
    return qname == null ? null : qname.substring(qname.indexOf(':') + 1);
  }
}
