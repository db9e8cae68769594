-- The hourly sweep of uploads no post uses (app/attachments/attachments.server.ts removeUnusedUploads).
SELECT pgboss.create_queue('attachments-cleanup', '{"policy":"stately","retryLimit":3,"retryDelay":60,"retryBackoff":true}');
