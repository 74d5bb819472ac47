Here's the method (truncated):

    void run(String host, Statement st, ObjectInputStream in) {
        // ruleid: fallback-java-runtime-exec
        Runtime.getRuntime().exec("ping " + host
        // ok: fallback-java-runtime-exec
        Runtime.getRuntime().exec("uptime"
        // ruleid: fallback-java-runtime-exec
        Runtime.getRuntime().exec(command, env, directory
        // ruleid: fallback-java-sql-concat
        st.executeQuery("SELECT * FROM t WHERE name = '" + host
        // ruleid: fallback-java-read-object
        Object o = in.readObject();
        // ruleid: fallback-java-weak-hash
        MessageDigest md = MessageDigest.getInstance("MD5"
        // ruleid: fallback-java-weak-hash
        Hasher hasher = Hashing.sha1().newHasher(
        // ruleid: fallback-java-weak-hash
        String id = DigestUtils.md5Hex(builder.toString()
        // ok: fallback-java-weak-hash
        HashFunction strong = Hashing.sha256(
        // ruleid: fallback-java-weak-random
        Random r = new Random(
