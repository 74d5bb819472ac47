import com.auth0.jwt.JWT;
import com.auth0.jwt.algorithms.Algorithm;
import java.io.File;
import java.io.FileInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.ObjectInputStream;
import java.io.PrintWriter;
import java.net.URL;
import javax.net.ssl.HostnameVerifier;
import javax.net.ssl.SSLSession;
import javax.servlet.http.HttpServletRequest;
import javax.servlet.http.HttpServletResponse;
import javax.xml.parsers.DocumentBuilderFactory;

public class Web {
    InputStream download(HttpServletRequest request) throws IOException {
        String name = request.getParameter("file");
        // ruleid: java-path-from-request
        return new FileInputStream(new File("/srv/files/" + name));
    }

    InputStream config() throws IOException {
        // ok: java-path-from-request
        return new FileInputStream(new File("/etc/app.conf"));
    }

    void hello(HttpServletRequest request, HttpServletResponse response) throws IOException {
        String who = request.getParameter("who");
        // ruleid: java-xss-request-to-writer
        response.getWriter().println("<h1>Hello " + who + "</h1>");
        // ok: java-xss-request-to-writer
        response.getWriter().println("<h1>Hello</h1>");
    }

    InputStream proxy(HttpServletRequest request) throws IOException {
        // ruleid: java-ssrf-request-url, java-url-open-stream
        return new URL(request.getParameter("url")).openStream();
    }

    InputStream status() throws IOException {
        // ok: java-url-open-stream
        return new URL("https://status.example.com/health").openStream();
    }

    Object parseUnsafe(InputStream in) throws Exception {
        // ruleid: java-xml-external-entities
        DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
        return f.newDocumentBuilder().parse(in);
    }

    Object parseSafe(InputStream in) throws Exception {
        // ok: java-xml-external-entities
        DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
        f.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
        return f.newDocumentBuilder().parse(in);
    }

    Object load(InputStream in) throws Exception {
        ObjectInputStream ois = new ObjectInputStream(in);
        // ruleid: java-unsafe-deserialization
        return ois.readObject();
    }

    HostnameVerifier trustAll() {
        // ruleid: java-tls-trust-all
        return (host, session) -> true;
    }

    String user(String token, String secret) {
        // ruleid: java-jwt-not-verified
        String unverified = JWT.decode(token).getSubject();
        // ok: java-jwt-not-verified
        String verified = JWT.require(Algorithm.HMAC256(secret)).build().verify(token).getSubject();
        return unverified + verified;
    }

    InputStream fixed() throws IOException {
        // ok: java-ssrf-request-url
        return new URL("https://status.example.com/health").openStream();
    }

    HostnameVerifier strict() {
        // ok: java-tls-trust-all
        return (host, session) -> host.equals("api.example.com");
    }

    Object loadJson(com.fasterxml.jackson.databind.ObjectMapper mapper, InputStream in) throws IOException {
        // ok: java-unsafe-deserialization
        return mapper.readValue(in, java.util.Map.class);
    }
}
