import type { NextApiRequest, NextApiResponse } from "next";
import { Pool } from "pg";

const pool = new Pool();

export default async function handler(req: NextApiRequest, res: NextApiResponse) {
  const { rows } = await pool.query(`SELECT * FROM items WHERE owner = '${req.query.owner as string}'`);
  res.status(200).json(rows);
}
