-- Usernames are one whatever their letter case: `Staff` and `staff` cannot both exist.
-- An expression index, which schema.prisma cannot state (Prisma leaves it alone).
CREATE UNIQUE INDEX "users_username_lower_key" ON "users" (lower("username"));
