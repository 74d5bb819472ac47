import java.io.IOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import javax.script.ScriptEngine;
import javax.script.ScriptException;

public class Injection {
    ResultSet find(Connection conn, String name, int id) throws SQLException {
        Statement st = conn.createStatement();
        // ruleid: java-sql-built-from-strings
        st.executeQuery("SELECT * FROM users WHERE name = '" + name + "'");
        String sql = "DELETE FROM users WHERE id = " + id;
        // ruleid: java-sql-built-from-strings
        st.executeUpdate(sql);
        // ruleid: java-sql-built-from-strings
        st.execute(String.format("UPDATE users SET seen = 1 WHERE name = '%s'", name));
        PreparedStatement ps = conn.prepareStatement("SELECT * FROM users WHERE name = ?");
        ps.setString(1, name);
        // ok: java-sql-built-from-strings
        return ps.executeQuery();
    }

    void ping(String host) throws IOException {
        // ruleid: java-os-command-non-literal
        Runtime.getRuntime().exec("ping -c 1 " + host);
        // ruleid: java-os-command-non-literal
        new ProcessBuilder("sh", "-c", "ls " + host).start();
        // ok: java-os-command-non-literal
        new ProcessBuilder("ping", "-c", "1", host).start();
        // ok: java-os-command-non-literal
        Runtime.getRuntime().exec("uptime");
    }

    Object calc(ScriptEngine engine, String expr) throws ScriptException {
        // ruleid: java-script-engine-eval
        Object v = engine.eval(expr);
        // ok: java-script-engine-eval
        Object w = engine.eval("1 + 2");
        return v.toString() + w;
    }
}
