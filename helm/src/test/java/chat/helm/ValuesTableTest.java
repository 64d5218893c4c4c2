package chat.helm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The values table of docs/kubernetes.md names every value of the chart's schema, no value the
 * chart does not have, and the default of every plain value as values.yaml sets it.
 */
class ValuesTableTest {

  private static final Path DOC = Path.of(System.getProperty("chat.docs.dir", "../docs")).resolve("kubernetes.md");
  private static final Pattern ROW = Pattern.compile("^\\| ((?:`[^`]+`(?:, )?)+) \\| ([^|]*) \\|");
  private static final Pattern NAME = Pattern.compile("`([^`]+)`");
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

  /** Schema leaves: values that are not objects with properties of their own. */
  private static Set<String> schemaLeaves() throws IOException {
    Set<String> leaves = new TreeSet<>();
    collect(JSON.readTree(Chart.DIR.resolve("values.schema.json").toFile()), "", leaves);
    leaves.remove("global");
    return leaves;
  }

  private static void collect(JsonNode schema, String prefix, Set<String> leaves) {
    schema.path("properties").fields().forEachRemaining(e -> {
      if (e.getValue().has("properties")) {
        collect(e.getValue(), prefix + e.getKey() + ".", leaves);
      } else {
        leaves.add(prefix + e.getKey());
      }
    });
  }

  /** Rows of the table under "## Values": each named value → the default cell. */
  private static Map<String, String> tableRows() throws IOException {
    String doc = Files.readString(DOC);
    int start = doc.indexOf("\n## Values\n");
    assertTrue(start >= 0, "docs/kubernetes.md has a Values section");
    int end = doc.indexOf("\n## ", start + 1);
    Map<String, String> rows = new LinkedHashMap<>();
    for (String line : doc.substring(start, end < 0 ? doc.length() : end).split("\n")) {
      Matcher row = ROW.matcher(line);
      if (row.find()) {
        Matcher name = NAME.matcher(row.group(1));
        while (name.find()) {
          rows.put(name.group(1), row.group(2).strip());
        }
      }
    }
    return rows;
  }

  @Test
  void everyValueIsInTheTableAndEveryRowIsAValue() throws IOException {
    Set<String> leaves = schemaLeaves();
    Set<String> documented = tableRows().keySet();
    List<String> missing = new ArrayList<>(leaves);
    missing.removeAll(documented);
    List<String> unknown = new ArrayList<>(documented);
    unknown.removeAll(leaves);
    assertEquals(List.of(), missing, "values missing from the table in docs/kubernetes.md");
    assertEquals(List.of(), unknown, "rows of the table that are not values of the chart");
  }

  @Test
  void theDefaultsOfPlainValuesAreThoseOfValuesYaml() throws IOException {
    JsonNode values = YAML.readTree(Chart.DIR.resolve("values.yaml").toFile());
    int checked = 0;
    for (Map.Entry<String, String> row : tableRows().entrySet()) {
      JsonNode value = values.at("/" + row.getKey().replace('.', '/'));
      if (!value.isValueNode()) {
        continue;
      }
      String expected = value.asText().isEmpty() ? "`\"\"`" : "`" + value.asText() + "`";
      assertEquals(expected, row.getValue(), () -> "default of " + row.getKey());
      checked++;
    }
    assertTrue(checked > 40, "plain values checked: " + checked);
  }
}
