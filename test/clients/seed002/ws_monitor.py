# 1단계: 워크플로우 제출
import os
import requests
import json

BASE_URL = "https://cloud.comfy.org"
API_KEY = os.environ["COMFY_CLOUD_API_KEY"]

def get_headers():
    return {"X-API-Key": API_KEY, "Content-Type": "application/json"}

# ComfyUI에서 API 형식으로 내보낸 워크플로우 로드
with open("workflow_api.json") as f:
    workflow = json.load(f)

# 워크플로우 제출
response = requests.post(
    f"{BASE_URL}/api/prompt",
    headers=get_headers(),
    json={"prompt": workflow}
)
result = response.json()
prompt_id = result["prompt_id"]
print(f"작업 제출됨: {prompt_id}")

# 옵션 B: WebSocket(실시간 진행 상태)
import asyncio
import aiohttp
import json
import uuid

async def listen_for_completion(prompt_id: str, timeout: float = 300.0) -> dict:
    """WebSocket에 연결하여 작업 완료를 모니터링합니다.

    Returns:
        작업의 최종 출력값
    """
    ws_url = BASE_URL.replace("https://", "wss://")
    client_id = str(uuid.uuid4())
    ws_url = f"{ws_url}/ws?clientId={client_id}&token={API_KEY}"

    outputs = {}

    async with aiohttp.ClientSession() as session:
        async with session.ws_connect(ws_url) as ws:
            async def receive_messages():
                async for msg in ws:
                    if msg.type == aiohttp.WSMsgType.TEXT:
                        data = json.loads(msg.data)
                        msg_type = data.get("type")
                        msg_data = data.get("data", {})

                        # 우리의 작업으로 필터링
                        if msg_data.get("prompt_id") != prompt_id:
                            continue

                        if msg_type == "executing":
                            node = msg_data.get("node")
                            if node:
                                print(f"실행 중인 노드: {node}")

                        elif msg_type == "progress":
                            value = msg_data.get("value", 0)
                            max_val = msg_data.get("max", 100)
                            print(f"진행률: {value}/{max_val}")

                        elif msg_type == "executed":
                            node_id = msg_data.get("node")
                            output = msg_data.get("output", {})
                            if output:
                                outputs[node_id] = output

                        elif msg_type == "execution_success":
                            print("작업이 성공적으로 완료되었습니다!")
                            return outputs

                        elif msg_type == "execution_error":
                            error_msg = msg_data.get("exception_message", "알 수 없는 오류")
                            raise RuntimeError(f"실행 오류: {error_msg}")

                    elif msg.type == aiohttp.WSMsgType.ERROR:
                        raise RuntimeError(f"WebSocket 오류: {ws.exception()}")

            try:
                return await asyncio.wait_for(receive_messages(), timeout=timeout)
            except asyncio.TimeoutError:
                raise TimeoutError(f"작업이 {timeout}s 내에 완료되지 않았습니다")

# 완료를 기다리고 출력값 수집
outputs = await listen_for_completion(prompt_id)

# 3단계: 출력물 다운로드
def download_output(filename: str, subfolder: str = "", output_type: str = "output") -> bytes:
    """출력 파일을 다운로드합니다.

    Args:
        filename: 파일 이름
        subfolder: 하위 폴더 경로 (보통 비어 있음)
        output_type: 최종 출력일 경우 "output", 미리보기일 경우 "temp"

    Returns:
        파일 바이트
    """
    params = {
        "filename": filename,
        "subfolder": subfolder,
        "type": output_type
    }

    response = requests.get(
        f"{BASE_URL}/api/view",
        headers=get_headers(),
        params=params
    )
    response.raise_for_status()
    return response.content

def save_outputs(outputs: dict, output_dir: str = "."):
    """작업의 모든 출력을 디스크에 저장합니다.

    Args:
        outputs: 작업에서 가져온 출력 사전 (노드 ID -> 출력 데이터)
        output_dir: 파일을 저장할 디렉터리
    """
    import os
    os.makedirs(output_dir, exist_ok=True)

    for node_id, node_outputs in outputs.items():
        for key in ("images", "video", "audio"):
            for file_info in node_outputs.get(key, []):
                filename = file_info["filename"]
                subfolder = file_info.get("subfolder", "")
                output_type = file_info.get("type", "output")

                data = download_output(filename, subfolder, output_type)

                output_path = os.path.join(output_dir, filename)
                with open(output_path, "wb") as f:
                    f.write(data)
                print(f"저장됨: {output_path}")

# 모든 출력 다운로드
save_outputs(outputs, "./my_outputs")
