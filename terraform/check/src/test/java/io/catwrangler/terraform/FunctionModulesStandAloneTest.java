package io.catwrangler.terraform;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/**
 * Each function's zip is built from its own module: no {@code -fn} module may need another at run time (what they
 * share lives in {@code aws} or {@code core}). A test may wire several together (query-fn's end-to-end test does).
 */
class FunctionModulesStandAloneTest {
  private static final List<String> FUNCTIONS = List.of("ingest-fn", "classify-fn", "query-fn");

  @Test
  void noFunctionModuleDependsOnAnotherOutsideItsTests() throws Exception {
    List<String> found = new ArrayList<>();
    for (String module : FUNCTIONS) {
      Path pom = Hcl.repositoryRoot().resolve(module).resolve("pom.xml");
      NodeList dependencies = DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(pom.toFile())
          .getElementsByTagName("dependency");
      for (int i = 0; i < dependencies.getLength(); i++) {
        Element dependency = (Element) dependencies.item(i);
        String artifact = text(dependency, "artifactId");
        if (FUNCTIONS.contains(artifact) && !"test".equals(text(dependency, "scope"))) {
          found.add(module + " -> " + artifact + " (scope " + text(dependency, "scope") + ")");
        }
      }
    }
    assertThat(found).as("function modules needing another at run time").isEmpty();
  }

  private static String text(Element parent, String tag) {
    NodeList nodes = parent.getElementsByTagName(tag);
    return nodes.getLength() == 0 ? "" : nodes.item(0).getTextContent().strip();
  }
}
