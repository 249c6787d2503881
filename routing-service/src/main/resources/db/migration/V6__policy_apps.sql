-- Policies now list the apps that may route into their use case ("apps"), required in every new version.
-- Versions stored before that admitted any authenticated app; they say so explicitly from now on: ["*"].
UPDATE policy SET document = document || '{"apps": ["*"]}'::jsonb WHERE NOT document ? 'apps';
