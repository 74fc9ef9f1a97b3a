"""A kernel client is ready as soon as the kernel has answered its info request on the shell
channel and IOPub has carried that request's ``idle`` status (execute.ReadyClient): nothing of
the request is left on IOPub for the first cell, and an IOPub that missed it asks again."""

from __future__ import annotations

from queue import Empty

import pytest
from jupyter_client.utils import run_sync

from helpers.run.execute import IPCKernelManager, ReadyClient


class Channel:
    """A channel whose messages are given in advance; Empty when none is left."""

    def __init__(self, messages) -> None:
        self.messages = list(messages)
        self.taken: list[dict] = []

    async def get_msg(self, timeout=None):
        if not self.messages:
            raise Empty
        message = self.messages.pop(0)
        self.taken.append(message)
        return message(self.asked) if callable(message) else message


def _status(state: str, parent: str) -> dict:
    return {
        "msg_type": "status",
        "content": {"execution_state": state},
        "parent_header": {"msg_id": parent},
    }


def _reply(parent: str) -> dict:
    return {
        "msg_type": "kernel_info_reply",
        "content": {"protocol_version": "4.1"},
        "parent_header": {"msg_id": parent},
    }


def _client(shell, iopub) -> ReadyClient:
    client = ReadyClient()
    asked: list[str] = []

    def kernel_info():
        asked.append(f"req{len(asked)}")
        shell.asked = iopub.asked = asked[-1]
        return asked[-1]

    client.kernel_info = kernel_info
    client.__dict__["_shell"], client.__dict__["_iopub"] = shell, iopub
    client.asked = asked
    return client


@pytest.fixture
def channels(monkeypatch):
    def make(shell_messages, iopub_messages):
        shell, iopub = Channel(shell_messages), Channel(iopub_messages)
        monkeypatch.setattr(
            ReadyClient, "shell_channel", property(lambda self: self.__dict__["_shell"])
        )
        monkeypatch.setattr(
            ReadyClient, "iopub_channel", property(lambda self: self.__dict__["_iopub"])
        )

        async def alive(self):
            return True

        monkeypatch.setattr(ReadyClient, "_async_is_alive", alive)
        return _client(shell, iopub), iopub

    return make


def test_ready_once_the_requests_idle_status_is_read_and_no_later(channels):
    later = {"msg_type": "stream", "content": {"text": "x"}, "parent_header": {"msg_id": "cell"}}
    client, iopub = channels(
        [lambda asked: _reply(asked)],
        [lambda asked: _status("busy", asked), lambda asked: _status("idle", asked), later],
    )
    run_sync(client.wait_for_ready)(timeout=5)
    assert client.asked == ["req0"]
    assert iopub.messages == [later]  # the next message is left for the first cell
    assert client.session.adapt_version == 4  # the reply was handled (an older protocol)


def test_an_iopub_that_missed_the_answer_asks_again(channels):
    """IOPub subscribes a moment after connecting: the first request's statuses may be lost."""
    client, iopub = channels(
        [lambda asked: _reply(asked), lambda asked: _reply(asked)],
        [
            Empty,  # nothing came for the first request
            lambda asked: _status("busy", asked),
            lambda asked: _status("idle", asked),
        ],
    )

    async def get_msg(timeout=None):
        if not iopub.messages:
            raise Empty
        message = iopub.messages.pop(0)
        if message is Empty:
            raise Empty
        return message(iopub.asked)

    iopub.get_msg = get_msg
    run_sync(client.wait_for_ready)(timeout=5)
    assert client.asked == ["req0", "req1"]
    assert iopub.messages == []


def test_an_idle_status_of_another_request_is_not_taken_for_the_answer(channels):
    client, iopub = channels(
        [lambda asked: _reply(asked)],
        [_status("idle", "someone else"), lambda asked: _status("idle", asked)],
    )
    run_sync(client.wait_for_ready)(timeout=5)
    assert iopub.messages == [] and len(iopub.taken) == 2


def test_the_kernel_manager_makes_ready_clients():
    km = IPCKernelManager(kernel_name="python3")
    assert isinstance(km.client(), ReadyClient)
