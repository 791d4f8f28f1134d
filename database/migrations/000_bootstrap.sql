-- 000_bootstrap: roles, auth shim, realtime publication, grants.
--
-- Idempotent: safe to run any number of times, on plain PostgreSQL 15 (as a superuser, as a database owner
-- without superuser, or as a role with CREATEROLE) and on Supabase, where the roles, auth.role() and the
-- supabase_realtime publication already exist. Anything the current user is not allowed to do is skipped
-- with a NOTICE instead of failing the migration.
--
-- No BEGIN/COMMIT here: the migration runner wraps every file in one transaction.

-- 1. NOLOGIN roles used by the RLS policies and grants (the Supabase API roles).
DO $bootstrap_roles$
DECLARE
    v_role text;
BEGIN
    FOREACH v_role IN ARRAY ARRAY['anon', 'authenticated', 'service_role'] LOOP
        IF NOT EXISTS (SELECT 1 FROM pg_catalog.pg_roles WHERE rolname = v_role) THEN
            BEGIN
                EXECUTE format('CREATE ROLE %I NOLOGIN', v_role);
            EXCEPTION
                -- Roles are cluster-wide: another database migrating at the same moment may create the role
                -- first (seen as duplicate_object, or as unique_violation on pg_authid when both race).
                WHEN duplicate_object OR unique_violation THEN
                    NULL;
                WHEN insufficient_privilege THEN
                    RAISE NOTICE 'bootstrap: cannot create role % (no CREATEROLE); skipping', v_role;
            END;
        END IF;
    END LOOP;
END
$bootstrap_roles$;

-- 2. Make the three roles usable by the migrating user (so it can SET ROLE to them and test policies).
--    Not needed for superusers; skipped when already a member or when not allowed to grant.
DO $bootstrap_membership$
DECLARE
    v_role text;
BEGIN
    IF (SELECT rolsuper FROM pg_catalog.pg_roles WHERE rolname = current_user) THEN
        RETURN;
    END IF;
    FOREACH v_role IN ARRAY ARRAY['anon', 'authenticated', 'service_role'] LOOP
        CONTINUE WHEN NOT EXISTS (SELECT 1 FROM pg_catalog.pg_roles WHERE rolname = v_role);
        CONTINUE WHEN pg_catalog.pg_has_role(current_user, v_role, 'MEMBER');
        BEGIN
            EXECUTE format('GRANT %I TO %I', v_role, current_user);
        EXCEPTION
            WHEN insufficient_privilege OR invalid_grant_operation OR unique_violation OR duplicate_object THEN
                -- unique_violation/duplicate_object: granted concurrently by another database's migration.
                RAISE NOTICE 'bootstrap: cannot grant role % to %; skipping', v_role, current_user;
        END;
    END LOOP;
END
$bootstrap_membership$;

-- 3. Schema auth and auth.role(): the JWT role claim as PostgREST/Supabase expose it.
--    Never replaces an existing auth.role() (Supabase ships its own).
DO $bootstrap_auth$
DECLARE
    v_role text;
BEGIN
    IF NOT EXISTS (SELECT 1 FROM pg_catalog.pg_namespace WHERE nspname = 'auth') THEN
        BEGIN
            CREATE SCHEMA auth;
        EXCEPTION
            WHEN duplicate_schema THEN
                NULL;
            WHEN insufficient_privilege THEN
                RAISE NOTICE 'bootstrap: cannot create schema auth; skipping auth.role()';
                RETURN;
        END;
    END IF;

    IF NOT EXISTS (
        SELECT 1
        FROM pg_catalog.pg_proc p
        JOIN pg_catalog.pg_namespace n ON n.oid = p.pronamespace
        WHERE n.nspname = 'auth' AND p.proname = 'role' AND p.pronargs = 0
    ) THEN
        BEGIN
            CREATE FUNCTION auth.role() RETURNS text
                LANGUAGE sql STABLE
                AS $auth_role$
                    SELECT nullif(
                        coalesce(
                            nullif(current_setting('request.jwt.claim.role', true), ''),
                            nullif(current_setting('request.jwt.claims', true), '')::jsonb ->> 'role'
                        ),
                        ''
                    )::text
                $auth_role$;
        EXCEPTION
            WHEN insufficient_privilege THEN
                RAISE NOTICE 'bootstrap: cannot create auth.role(); skipping';
        END;
    END IF;

    -- Policies evaluated for the API roles may call auth.role(): let them use the schema, but only when it is
    -- ours (on Supabase the auth schema belongs to supabase_auth_admin, which has set up its own grants).
    IF EXISTS (
        SELECT 1 FROM pg_catalog.pg_namespace
        WHERE nspname = 'auth' AND pg_catalog.pg_has_role(current_user, nspowner, 'MEMBER')
    ) THEN
        FOREACH v_role IN ARRAY ARRAY['anon', 'authenticated', 'service_role'] LOOP
            CONTINUE WHEN NOT EXISTS (SELECT 1 FROM pg_catalog.pg_roles WHERE rolname = v_role);
            EXECUTE format('GRANT USAGE ON SCHEMA auth TO %I', v_role);
        END LOOP;
    END IF;
END
$bootstrap_auth$;

-- 4. Realtime publication (empty; 001 adds the coordination tables to it).
DO $bootstrap_publication$
BEGIN
    IF NOT EXISTS (SELECT 1 FROM pg_catalog.pg_publication WHERE pubname = 'supabase_realtime') THEN
        BEGIN
            CREATE PUBLICATION supabase_realtime;
        EXCEPTION
            WHEN duplicate_object THEN
                NULL;
            WHEN insufficient_privilege THEN
                RAISE NOTICE 'bootstrap: cannot create publication supabase_realtime; skipping';
        END;
    END IF;
END
$bootstrap_publication$;

-- 5. Schema usage and default privileges for the roles that exist.
--    Default privileges apply to objects the current (migrating) user creates later, i.e. 001+.
DO $bootstrap_grants$
DECLARE
    v_role text;
BEGIN
    FOREACH v_role IN ARRAY ARRAY['anon', 'authenticated', 'service_role'] LOOP
        CONTINUE WHEN NOT EXISTS (SELECT 1 FROM pg_catalog.pg_roles WHERE rolname = v_role);
        BEGIN
            EXECUTE format('GRANT USAGE ON SCHEMA public TO %I', v_role);
        EXCEPTION
            WHEN insufficient_privilege OR invalid_grant_operation THEN
                RAISE NOTICE 'bootstrap: cannot grant usage on schema public to %; skipping', v_role;
        END;
        BEGIN
            IF v_role = 'service_role' THEN
                EXECUTE 'ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT ALL ON TABLES TO service_role';
                EXECUTE 'ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT ALL ON FUNCTIONS TO service_role';
                EXECUTE 'ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT ALL ON SEQUENCES TO service_role';
            ELSE
                EXECUTE format('ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT SELECT ON TABLES TO %I', v_role);
            END IF;
        EXCEPTION
            WHEN insufficient_privilege OR invalid_grant_operation THEN
                RAISE NOTICE 'bootstrap: cannot set default privileges for %; skipping', v_role;
        END;
    END LOOP;
END
$bootstrap_grants$;
