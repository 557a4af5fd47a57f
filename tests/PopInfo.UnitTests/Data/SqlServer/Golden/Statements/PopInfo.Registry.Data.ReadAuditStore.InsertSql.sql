INSERT  INTO read_audit (at, client, subject, action, person_ids, detail, first_sequence, last_sequence)
OUTPUT  inserted.id
VALUES                  (@at, @client, @subject, @action, @ids, @detail, @first, @last);
