-- CreateIndex
CREATE INDEX "Message_waiting_sender_idx" ON "Message"("sender", "createdAt") WHERE (direction = 'inbound' AND status = 'received');
