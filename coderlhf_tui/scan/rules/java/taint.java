import java.io.ObjectInputStream;
import java.sql.Connection;
import java.sql.Statement;
import javax.script.ScriptEngine;
import javax.servlet.http.HttpServletRequest;

class Handlers {
    Connection conn;
    ScriptEngine engine;

    Object find(HttpServletRequest request) throws Exception {
        String name = request.getParameter("name");
        String sql = "SELECT * FROM users WHERE name = '" + name + "'";
        Statement st = conn.createStatement();
        // ruleid: java-taint-sql-from-request
        return st.executeQuery(sql);
    }

    Object findSafe(HttpServletRequest request) throws Exception {
        var ps = conn.prepareStatement("SELECT * FROM users WHERE name = ?");
        // ok: java-taint-sql-from-request
        ps.setString(1, request.getParameter("name"));
        return ps.executeQuery();
    }

    void ping(HttpServletRequest request) throws Exception {
        String host = request.getParameter("host");
        // ruleid: java-taint-command-from-input
        Runtime.getRuntime().exec("ping -c 1 " + host);
    }

    void pingSafe(HttpServletRequest request) throws Exception {
        // ok: java-taint-command-from-input
        Runtime.getRuntime().exec(new String[] {"ping", "-c", "1", "example.org"});
    }

    Object calc(HttpServletRequest request) throws Exception {
        String expr = request.getParameter("expr");
        // ruleid: java-taint-code-from-request
        return engine.eval(expr);
    }

    Object calcSafe(HttpServletRequest request) throws Exception {
        // ok: java-taint-code-from-request
        return engine.eval("1 + 1");
    }

    Object restore(HttpServletRequest request) throws Exception {
        // ruleid: java-taint-deserialization-from-request
        ObjectInputStream in = new ObjectInputStream(request.getInputStream());
        return in.readObject();
    }

    Object restoreLocal() throws Exception {
        // ok: java-taint-deserialization-from-request
        ObjectInputStream in = new ObjectInputStream(new java.io.FileInputStream("cache.bin"));
        return in.readObject();
    }
}
