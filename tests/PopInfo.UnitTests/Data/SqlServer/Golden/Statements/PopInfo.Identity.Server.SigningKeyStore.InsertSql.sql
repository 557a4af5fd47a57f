INSERT  INTO signing_keys (key_id, [use], key_material, created_at, activate_at, retire_at)
VALUES                    (@keyId, @use, @material, @now, @activateAt, NULL);
