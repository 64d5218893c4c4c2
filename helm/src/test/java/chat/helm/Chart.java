package chat.helm;

import com.marcnuri.helm.Helm;
import com.marcnuri.helm.LintResult;
import com.marcnuri.helm.TemplateCommand;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.Map;

/** The chart under helm/chat-cluster, linted and rendered offline by Helm's own library. */
final class Chart {

  static final Path DIR = Path.of(System.getProperty("chat.chart.dir", "chat-cluster")).toAbsolutePath();
  static final String RELEASE = "chat";
  static final String NAMESPACE = "chat-test";
  /** A Kubernetes version the chart supports (its kubeVersion is >=1.25). */
  static final String KUBE_VERSION = "v1.31.0";

  private Chart() {}

  static LintResult lintStrict() {
    return new Helm(DIR).lint().strict().call();
  }

  /** {@code helm template} with a values file from src/test/resources/values (or none) and --set pairs. */
  static Rendered render(String valuesFile, Map<String, Object> sets) {
    FakeKubernetesApi.get();
    TemplateCommand template = new Helm(DIR).template().withName(RELEASE).withNamespace(NAMESPACE)
        .withKubeVersion(KUBE_VERSION);
    if (valuesFile != null) {
      template = template.withValuesFile(valuesPath(valuesFile));
    }
    for (Map.Entry<String, Object> set : sets.entrySet()) {
      template = template.set(set.getKey(), set.getValue());
    }
    return Rendered.parse(template.call());
  }

  static Rendered render(String valuesFile) {
    return render(valuesFile, Map.of());
  }

  static Path valuesPath(String name) {
    try {
      return Path.of(Chart.class.getResource("/values/" + name).toURI());
    } catch (URISyntaxException | NullPointerException e) {
      throw new IllegalArgumentException("no values file " + name, e);
    }
  }
}
