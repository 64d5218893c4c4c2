package chat.edge.web;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;
import org.apache.pekko.http.javadsl.model.ContentType;
import org.apache.pekko.http.javadsl.model.ContentTypes;
import org.apache.pekko.http.javadsl.model.HttpCharsets;
import org.apache.pekko.http.javadsl.model.HttpEntities;
import org.apache.pekko.http.javadsl.model.HttpHeader;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.model.MediaTypes;
import org.apache.pekko.http.javadsl.model.headers.EntityTag;
import org.apache.pekko.http.javadsl.model.headers.RawHeader;
import org.apache.pekko.http.javadsl.server.AllDirectives;
import org.apache.pekko.http.javadsl.server.PathMatchers;
import org.apache.pekko.http.javadsl.server.Route;

/**
 * The node's static web pages: each page is a directory of files under {@code web/} on the
 * classpath, its {@code index.html} served at the page's path and its other files under
 * {@code /<page>/}. The web client is the page at {@code /} with its files under {@code /client/}.
 *
 * <p>Every answer carries a strict Content-Security-Policy (scripts and styles only from the
 * node's own files, network only to the node itself and its WebSocket) and
 * {@code nosniff}. Files are not fingerprinted (there is no build step), so browsers revalidate
 * them on every load ({@code no-cache} with an ETag): a new node version is picked up at once and an
 * unchanged file costs a 304.
 */
public final class WebPages extends AllDirectives {

  /** A page: the path it is served at ("" for the root) and its directory under {@code web/}. */
  public record Page(String path, String directory) {}

  /** The pages this node serves: the web client, and the operators' cluster dashboard. */
  public static final List<Page> PAGES = List.of(new Page("", "client"), new Page("dashboard", "dashboard"));

  // File names only: no directories, no dot files, so no request can leave a page's directory.
  private static final Pattern FILE_NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]{0,99}");
  // What a Host header may hold to be named in the policy (a name or address and a port).
  private static final Pattern HOST = Pattern.compile("[A-Za-z0-9.-]{1,253}(:[0-9]{1,5})?|\\[[0-9A-Fa-f:.]{2,45}\\](:[0-9]{1,5})?");
  private static final Map<String, ContentType> TYPES = Map.of(
      "html", ContentTypes.TEXT_HTML_UTF8,
      "js", MediaTypes.customWithOpenCharset("text", "javascript", Map.of(), false).toContentType(HttpCharsets.UTF_8),
      "css", MediaTypes.TEXT_CSS.toContentType(HttpCharsets.UTF_8),
      "png", MediaTypes.IMAGE_PNG.toContentType(),
      "svg", MediaTypes.IMAGE_SVG_XML.toContentType(),
      "txt", ContentTypes.TEXT_PLAIN_UTF8);

  private final Map<String, Optional<StaticFile>> files = new ConcurrentHashMap<>();

  private record StaticFile(byte[] bytes, ContentType type, EntityTag etag) {}

  public Route route() {
    Route[] pages = PAGES.stream().map(this::pageRoute).toArray(Route[]::new);
    return concat(pages[0], Arrays.copyOfRange(pages, 1, pages.length));
  }

  // The method is checked after the path, so other paths keep their own 404/405 answers.
  private Route pageRoute(Page page) {
    Route index = pathEndOrSingleSlash(() -> get(() -> serve(page.directory() + "/index.html")));
    Route indexRoute = page.path().isEmpty() ? index : pathPrefix(page.path(), () -> index);
    String filesPrefix = page.path().isEmpty() ? page.directory() : page.path();
    Route assets = path(PathMatchers.segment(filesPrefix).slash(PathMatchers.segment()),
        name -> get(() -> serve(page.directory() + "/" + name)));
    return concat(indexRoute, assets);
  }

  private Route serve(String resource) {
    String name = resource.substring(resource.lastIndexOf('/') + 1);
    if (!FILE_NAME.matcher(name).matches()) {
      return reject();
    }
    Optional<StaticFile> file = files.computeIfAbsent(resource, WebPages::load);
    if (file.isEmpty()) {
      return reject();
    }
    StaticFile found = file.get();
    return extractRequest(request -> {
      String host = request.getHeader("Host").map(HttpHeader::value).orElse("");
      return respondWithHeaders(headers(host), () -> conditional(found.etag(), () -> complete(
          HttpResponse.create().withEntity(HttpEntities.create(found.type(), found.bytes())))));
    });
  }

  /** The security and caching headers of every page and file. */
  static List<HttpHeader> headers(String host) {
    return List.of(
        RawHeader.create("Content-Security-Policy", contentSecurityPolicy(host)),
        RawHeader.create("X-Content-Type-Options", "nosniff"),
        RawHeader.create("Referrer-Policy", "no-referrer"),
        RawHeader.create("Cache-Control", "no-cache"));
  }

  /**
   * Nothing inline, nothing from elsewhere. {@code 'self'} covers ws/wss of the same host only in
   * newer browsers, so the WebSocket origins are named too (from the Host header, when it is a
   * plain host and port).
   */
  static String contentSecurityPolicy(String host) {
    String connect = "'self'";
    if (HOST.matcher(host).matches()) {
      connect += " ws://" + host + " wss://" + host;
    }
    return "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
        + "connect-src " + connect + "; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";
  }

  private static Optional<StaticFile> load(String resource) {
    String extension = resource.substring(resource.lastIndexOf('.') + 1);
    ContentType type = TYPES.get(extension);
    if (type == null) {
      return Optional.empty();
    }
    try (InputStream in = WebPages.class.getClassLoader().getResourceAsStream("web/" + resource)) {
      if (in == null) {
        return Optional.empty();
      }
      byte[] bytes = in.readAllBytes();
      return Optional.of(new StaticFile(bytes, type, EntityTag.create(sha256(bytes), false)));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read web/" + resource, e);
    }
  }

  private static String sha256(byte[] bytes) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes), 0, 16);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
