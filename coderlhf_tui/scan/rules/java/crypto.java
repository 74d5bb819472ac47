import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Random;
import javax.crypto.Cipher;

public class Crypto {
    byte[] digest(byte[] data) throws NoSuchAlgorithmException {
        // ruleid: java-weak-hash
        byte[] weak = MessageDigest.getInstance("MD5").digest(data);
        // ok: java-weak-hash
        byte[] strong = MessageDigest.getInstance("SHA-256").digest(data);
        // ruleid: java-weak-hash
        MessageDigest provided = MessageDigest.getInstance("SHA-1", "BC");
        // ok: java-weak-hash
        MessageDigest providedStrong = MessageDigest.getInstance("SHA-512", "BC");
        return weak.length > 0 ? weak : strong;
    }

    Cipher cipher() throws Exception {
        // ruleid: java-weak-cipher
        Cipher a = Cipher.getInstance("DES/CBC/PKCS5Padding");
        // ruleid: java-weak-cipher
        Cipher b = Cipher.getInstance("AES/ECB/PKCS5Padding");
        // ok: java-weak-cipher
        Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
        // ruleid: java-weak-cipher
        KeyGenerator desKeys = KeyGenerator.getInstance("DES");
        // ok: java-weak-cipher
        KeyGenerator aesKeys = KeyGenerator.getInstance("AES");
        return a != null ? b : c;
    }

    String token() {
        // ruleid: java-weak-random-use
        Random r = new Random();
        // ruleid: java-insecure-random-for-secret, java-weak-random-use
        long sessionToken = r.nextLong();
        SecureRandom s = new SecureRandom();
        // ok: java-insecure-random-for-secret
        long resetToken = s.nextLong();
        return Long.toHexString(sessionToken) + resetToken;
    }

    long strong() {
        // ok: java-weak-random-use
        return new SecureRandom().nextLong();
    }

    double noise(Random rng) {
        // ruleid: java-weak-random-use
        return rng.nextGaussian();
    }

    int dice() {
        // ruleid: java-weak-random-use
        return new Random().nextInt(6) + 1;
    }

    // ruleid: java-hardcoded-credential
    private static final String DB_PASSWORD = "hunter2-prod-2024";
    // ok: java-hardcoded-credential
    private static final String API_KEY = System.getenv("API_KEY");

    Connection connect(String url) throws SQLException {
        // ruleid: java-hardcoded-credential
        return DriverManager.getConnection(url, "admin", "S3cr3tPass");
    }
}
