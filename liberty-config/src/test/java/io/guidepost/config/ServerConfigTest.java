package io.guidepost.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/** Checks the packaged server configuration: features, variables, JVM options. */
class ServerConfigTest {

  private static final Set<String> LIBERTY_BUILTINS =
      Set.of(
          "server.output.dir",
          "server.config.dir",
          "wlp.install.dir",
          "wlp.user.dir",
          "shared.resource.dir");

  private static InputStream resource(String name) {
    InputStream in = ServerConfigTest.class.getResourceAsStream("/liberty-config/" + name);
    assertNotNull(in, name + " is not packaged");
    return in;
  }

  private static Document serverXml() throws Exception {
    DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
    f.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
    try (InputStream in = resource("server.xml")) {
      return f.newDocumentBuilder().parse(in);
    }
  }

  @Test
  void hasTheFeaturesTheServiceNeeds() throws Exception {
    NodeList nodes = serverXml().getElementsByTagName("feature");
    Set<String> features = new HashSet<>();
    for (int i = 0; i < nodes.getLength(); i++) {
      features.add(nodes.item(i).getTextContent().trim());
    }
    for (String required :
        List.of(
            "restfulWS-3.1",
            "jsonb-3.0",
            "jsonp-2.1",
            "cdi-4.0",
            "enterpriseBeansLite-4.0",
            "servlet-6.0",
            "beanValidation-3.0",
            "mpConfig-3.1",
            "mpOpenAPI-3.1",
            "mpHealth-4.0",
            "mpMetrics-5.1",
            "appSecurity-5.0",
            "localConnector-1.0")) {
      assertTrue(features.contains(required), "server.xml lacks " + required);
    }
  }

  @Test
  void everyVariableUsedIsDeclaredWithADefault() throws Exception {
    Document doc = serverXml();
    Set<String> declared = new HashSet<>(LIBERTY_BUILTINS);
    NodeList vars = doc.getElementsByTagName("variable");
    for (int i = 0; i < vars.getLength(); i++) {
      Element v = (Element) vars.item(i);
      assertTrue(v.hasAttribute("defaultValue"), v.getAttribute("name") + " has no default");
      declared.add(v.getAttribute("name"));
    }
    String text;
    try (InputStream in = resource("server.xml")) {
      text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
    List<String> undeclared = new ArrayList<>();
    Matcher m = Pattern.compile("\\$\\{([^}]+)}").matcher(text);
    while (m.find()) {
      if (!declared.contains(m.group(1))) {
        undeclared.add(m.group(1));
      }
    }
    assertEquals(List.of(), undeclared, "variables used but not declared");
    Element endpoint = (Element) doc.getElementsByTagName("httpEndpoint").item(0);
    assertEquals("${http.port}", endpoint.getAttribute("httpPort"));
    assertEquals("${https.port}", endpoint.getAttribute("httpsPort"));
  }

  @Test
  void nativeLibrariesComeFromTheGlobalSharedLibrary() throws Exception {
    NodeList libs = serverXml().getElementsByTagName("library");
    boolean global = false;
    for (int i = 0; i < libs.getLength(); i++) {
      Element lib = (Element) libs.item(i);
      if (lib.getAttribute("id").equals("global")) {
        Element fileset = (Element) lib.getElementsByTagName("fileset").item(0);
        assertEquals("${guidepost.lib.dir}", fileset.getAttribute("dir"));
        global = true;
      }
    }
    assertTrue(global, "no global shared library for the native-code jars");
  }

  @Test
  void jvmOptionsEnableNativeAccessAndTheVectorApi() throws Exception {
    String options;
    try (InputStream in = resource("jvm.options")) {
      options = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
    List<String> lines = options.lines().map(String::trim).toList();
    assertTrue(lines.contains("--enable-native-access=ALL-UNNAMED"), options);
    assertTrue(lines.contains("--add-modules=jdk.incubator.vector"), options);
  }
}
