CREATE TABLE IF NOT EXISTS experiences (id VARCHAR(64) PRIMARY KEY, state VARCHAR(16));
INSERT INTO experiences (id, state) VALUES ('exp_8c1f', 'DRAFT');
