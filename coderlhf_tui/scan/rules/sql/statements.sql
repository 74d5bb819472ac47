CREATE TABLE orders (id INTEGER PRIMARY KEY, customer TEXT NOT NULL, total NUMERIC);

/* ruleid: sql-excessive-grant */
GRANT ALL PRIVILEGES ON ALL TABLES IN SCHEMA public TO app_user;
/* ok: sql-excessive-grant */
GRANT SELECT, INSERT ON orders TO app_user;
/* ruleid: sql-excessive-grant */
GRANT SELECT ON orders TO PUBLIC;

CREATE OR REPLACE FUNCTION find_orders(p_customer TEXT) RETURNS SETOF orders AS $$
BEGIN
  /* ruleid: sql-dynamic-sql-concatenation */
  RETURN QUERY EXECUTE 'SELECT * FROM orders WHERE customer = ''' || p_customer || '''';
END;
$$ LANGUAGE plpgsql;

CREATE OR REPLACE FUNCTION find_orders_safe(p_customer TEXT) RETURNS SETOF orders AS $$
BEGIN
  /* ok: sql-dynamic-sql-concatenation */
  RETURN QUERY EXECUTE 'SELECT * FROM orders WHERE customer = $1' USING p_customer;
END;
$$ LANGUAGE plpgsql;

/* ruleid: sql-hardcoded-password */
CREATE USER reporting IDENTIFIED BY 'Sup3rS3cret!';
/* ok: sql-hardcoded-password */
CREATE USER reporting2;

/* ruleid: sql-os-command-execution */
EXEC xp_cmdshell 'dir C:\';

/* ok: sql-os-command-execution */
SELECT command_name FROM scheduled_jobs;

/* ruleid: sql-server-file-access */
SELECT * FROM orders INTO OUTFILE '/tmp/orders.csv';
/* ok: sql-server-file-access */
SELECT customer, SUM(total) FROM orders GROUP BY customer;

/* ruleid: sql-weak-password-hash */
INSERT INTO users (name, password_hash) VALUES ('ann', MD5('password123'));
/* ok: sql-weak-password-hash */
SELECT MD5(customer) AS bucket FROM orders;
