import { exec } from "child_process";
import type { Request, Response } from "express";

interface Db {
  query(sql: string, params?: unknown[]): Promise<unknown>;
}

export async function lookup(db: Db, req: Request, res: Response): Promise<void> {
  const id: string = String(req.params.id);
  // ruleid: js-sql-built-from-strings
  const rows = await db.query(`SELECT * FROM orders WHERE id = ${id}`);
  // ok: js-sql-built-from-strings
  const same = await db.query("SELECT * FROM orders WHERE id = $1", [id]);
  // ruleid: js-child-process-non-literal
  exec("convert " + id + ".png out.jpg", (err: Error | null) => res.json({ rows, same, err }));
}

export function compute(expr: string): number {
  // ruleid: js-eval-non-literal
  return eval(expr) as number;
}
